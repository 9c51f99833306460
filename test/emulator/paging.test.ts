/**
 * Paging on the emulator, checked against its seeded data (a 1500-file session, sessions of
 * exactly 100, 101 and 0 files). conformance/paging.test.ts checks what holds for any target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import {
  expectedOrder,
  fileIdOf,
  filesPath,
  fileValue,
  get,
  NOW,
  sessionIdOf,
  sessionsOf,
  sessionsPath,
  sessionValue,
  sessionWithFiles,
  walkPages,
} from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 5, sessions: 30, maxFiles: 1500, now: NOW });
});
afterAll(() => emulator.close());

/** Files of the largest session in the default order (created_at DESC). */
function largestDefaultOrder() {
  const session = sessionWithFiles(emulator, 1500);
  return { session, ids: expectedOrder(session.files, fileValue('created_at'), fileIdOf, 'DESC') };
}

describe('page_number', () => {
  it('walks every file of a 1500-file session exactly once, 100 at a time', async () => {
    const { session, ids } = largestDefaultOrder();
    const walk = await walkPages(emulator, filesPath(session.session_id), { limit: 100 }, fileIdOf);
    expect(walk.ids).toEqual(ids);
    expect(new Set(walk.ids).size).toBe(1500);
    expect(walk.requests).toBe(15);
  });

  it('walks every session exactly once with an odd limit', async () => {
    const walk = await walkPages(
      emulator,
      sessionsPath(),
      { limit: 7, field: 'file_count', order: 'ASC' },
      sessionIdOf,
    );
    const expected = expectedOrder(sessionsOf(emulator), sessionValue('file_count'), sessionIdOf, 'ASC');
    expect(walk.ids).toEqual(expected);
  });

  it('defaults to 10 entries, reports the total, and answers past the end with an empty page', async () => {
    const { session } = largestDefaultOrder();
    const first = await get(emulator, filesPath(session.session_id));
    expect(first.body.data).toHaveLength(10);
    expect(first.body).toMatchObject({ has_more: true, total: 1500 });
    const last = await get(emulator, filesPath(session.session_id), { limit: 100, page_number: 15 });
    expect(last.body).toMatchObject({ has_more: false, total: 1500 });
    expect(last.body.data).toHaveLength(100);
    const past = await get(emulator, filesPath(session.session_id), { limit: 100, page_number: 16 });
    expect(past.body).toEqual({ data: [], has_more: false, total: 1500 });
  });

  it('gets the page boundary right for sessions of 100 and 101 files, and 0 files', async () => {
    const hundred = await get(emulator, filesPath(sessionWithFiles(emulator, 100).session_id), {
      limit: 100,
    });
    expect(hundred.body).toMatchObject({ has_more: false, total: 100 });
    const sessionOf101 = sessionWithFiles(emulator, 101).session_id;
    const first = await get(emulator, filesPath(sessionOf101), { limit: 100 });
    expect(first.body).toMatchObject({ has_more: true, total: 101 });
    const second = await get(emulator, filesPath(sessionOf101), { limit: 100, page_number: 2 });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.has_more).toBe(false);
    const empty = await get(emulator, filesPath(sessionWithFiles(emulator, 0).session_id));
    expect(empty.body).toEqual({ data: [], has_more: false, total: 0 });
  });

  it('accepts limit 0 and negative limits: no entries, but the true total and has_more', async () => {
    for (const limit of [0, -5]) {
      const answer = await get(emulator, sessionsPath(), { limit });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: [], has_more: true, total: 30 });
    }
  });
});

describe('after and before cursors', () => {
  it('after the 10th entry gives the 11th onwards', async () => {
    const { session, ids } = largestDefaultOrder();
    const answer = await get(emulator, filesPath(session.session_id), { after: ids[9]!, limit: 10 });
    expect(answer.body.data.map(fileIdOf)).toEqual(ids.slice(10, 20));
    expect(answer.body).toMatchObject({ has_more: true, total: 1500 });
  });

  it('before the 11th entry with limit 3 gives the 8th, 9th and 10th, in the requested order', async () => {
    const { session, ids } = largestDefaultOrder();
    const answer = await get(emulator, filesPath(session.session_id), { before: ids[10]!, limit: 3 });
    expect(answer.body.data.map(fileIdOf)).toEqual(ids.slice(7, 10));
    expect(answer.body).toMatchObject({ has_more: true, total: 1500 });
  });

  it('says has_more false when nothing lies beyond the page in the direction of travel', async () => {
    const { session, ids } = largestDefaultOrder();
    const nearStart = await get(emulator, filesPath(session.session_id), { before: ids[2]!, limit: 5 });
    expect(nearStart.body.data.map(fileIdOf)).toEqual(ids.slice(0, 2));
    expect(nearStart.body.has_more).toBe(false);
    const nearEnd = await get(emulator, filesPath(session.session_id), { after: ids[1496]!, limit: 3 });
    expect(nearEnd.body.data.map(fileIdOf)).toEqual(ids.slice(1497));
    expect(nearEnd.body.has_more).toBe(false);
    const atEnd = await get(emulator, filesPath(session.session_id), { after: ids[1499]! });
    expect(atEnd.body).toEqual({ data: [], has_more: false, total: 1500 });
  });

  it('walks forwards with after and backwards with before, covering every entry once', async () => {
    const { session, ids } = largestDefaultOrder();
    const path = filesPath(session.session_id);
    const forward: string[] = [];
    let page = await get(emulator, path, { limit: 100 });
    forward.push(...page.body.data.map(fileIdOf));
    while (page.body.has_more) {
      page = await get(emulator, path, { limit: 100, after: forward[forward.length - 1]! });
      forward.push(...page.body.data.map(fileIdOf));
    }
    expect(forward).toEqual(ids);
    const backward: string[] = [ids[1499]!];
    page = await get(emulator, path, { limit: 100, before: ids[1499]! });
    while (page.body.data.length > 0) {
      backward.unshift(...page.body.data.map(fileIdOf));
      if (!page.body.has_more) break;
      page = await get(emulator, path, { limit: 100, before: backward[0]! });
    }
    expect(backward).toEqual(ids);
  });

  it('uses the requested order and filter for cursors', async () => {
    const session = sessionWithFiles(emulator, 1500);
    const failed = session.files.filter((f) => f.ingestion_status === 'FAILED');
    const ids = expectedOrder(failed, fileValue('name'), fileIdOf, 'ASC');
    const query = { ingestion_status: 'FAILED', field: 'name', order: 'ASC', limit: 4 };
    const answer = await get(emulator, filesPath(session.session_id), { ...query, after: ids[2]! });
    expect(answer.body.data.map(fileIdOf)).toEqual(ids.slice(3, 7));
    expect(answer.body.total).toBe(failed.length);
  });
});

describe('filters and total', () => {
  it('is_expired=true lists exactly the EXPIRED sessions, false the others', async () => {
    const sessions = sessionsOf(emulator);
    const expired = sessions.filter((s) => s.status === 'EXPIRED');
    const yes = await walkPages(emulator, sessionsPath(), { is_expired: 'true', limit: 100 }, sessionIdOf);
    const no = await get(emulator, sessionsPath(), { is_expired: 'false', limit: 3 });
    expect(new Set(yes.ids)).toEqual(new Set(expired.map(sessionIdOf)));
    expect(no.body.total).toBe(sessions.length - expired.length);
    expect(expired.length).toBeGreaterThan(0);
    expect(no.body.total).toBeGreaterThan(0);
  });

  it('ingestion_status filters files and total counts the matches', async () => {
    const session = sessionWithFiles(emulator, 1500);
    for (const status of ['PENDING', 'FAILED', 'FINISHED']) {
      const matching = session.files.filter((f) => f.ingestion_status === status);
      const answer = await get(emulator, filesPath(session.session_id), {
        ingestion_status: status,
        limit: 5,
      });
      expect(answer.body.total).toBe(matching.length);
      expect(answer.body.data.every((f: { ingestion_status: string }) => f.ingestion_status === status)).toBe(
        true,
      );
    }
  });
});
