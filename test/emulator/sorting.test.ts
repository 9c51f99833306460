/**
 * Sorting on the emulator, checked against its seeded data (shared timestamps, missing expiry,
 * null reasons). conformance/sorting.test.ts checks what holds for any target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { FILE_SORT_FIELDS, SESSION_SORT_FIELDS, SORT_ORDERS } from '../../lib/api/enums';
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
  emulator = await startEmulator({ port: 0, seed: 11, sessions: 40, maxFiles: 400, now: NOW });
});
afterAll(() => emulator.close());

describe('the sorting this suite relies on is exercised by the data', () => {
  it('has sessions sharing created_at, sessions without expiry, files sharing created_at and null reasons', () => {
    const sessions = sessionsOf(emulator);
    const createdAt = sessions.map((s) => s.created_at);
    expect(new Set(createdAt).size).toBeLessThan(createdAt.length);
    expect(sessions.some((s) => s.expires_at === null)).toBe(true);
    const files = sessionWithFiles(emulator, 400).files;
    expect(new Set(files.map((f) => f.created_at)).size).toBeLessThan(files.length);
    expect(files.some((f) => f.ingestion_status_reason === null)).toBe(true);
    expect(files.some((f) => f.ingestion_status_reason !== null)).toBe(true);
  });
});

describe('GET upload_sessions orders by every field, both ways', () => {
  for (const field of SESSION_SORT_FIELDS) {
    for (const order of SORT_ORDERS) {
      it(`field=${field} order=${order}`, async () => {
        const answer = await get(emulator, sessionsPath(), { field, order, limit: 100 });
        expect(answer.status).toBe(200);
        const expected = expectedOrder(sessionsOf(emulator), sessionValue(field), sessionIdOf, order);
        expect(answer.body.data.map(sessionIdOf)).toEqual(expected);
      });
    }
  }

  it('defaults to created_at DESC', async () => {
    const answer = await get(emulator, sessionsPath(), { limit: 100 });
    const expected = expectedOrder(sessionsOf(emulator), sessionValue('created_at'), sessionIdOf, 'DESC');
    expect(answer.body.data.map(sessionIdOf)).toEqual(expected);
  });

  it('puts sessions without expires_at last in ASC and first in DESC', async () => {
    const nulls = sessionsOf(emulator).filter((s) => s.expires_at === null).length;
    const asc = await get(emulator, sessionsPath(), { field: 'expires_at', order: 'ASC', limit: 100 });
    const desc = await get(emulator, sessionsPath(), { field: 'expires_at', order: 'DESC', limit: 100 });
    expect(asc.body.data.slice(-nulls).every((s: { expires_at: null }) => s.expires_at === null)).toBe(true);
    expect(desc.body.data.slice(0, nulls).every((s: { expires_at: null }) => s.expires_at === null)).toBe(
      true,
    );
  });

  it('makes DESC the exact reverse of ASC, ties included', async () => {
    for (const field of SESSION_SORT_FIELDS) {
      const asc = await get(emulator, sessionsPath(), { field, order: 'ASC', limit: 100 });
      const desc = await get(emulator, sessionsPath(), { field, order: 'DESC', limit: 100 });
      expect(desc.body.data.map(sessionIdOf)).toEqual(asc.body.data.map(sessionIdOf).reverse());
    }
  });
});

describe('GET files orders by every field, both ways, across pages', () => {
  for (const field of FILE_SORT_FIELDS) {
    for (const order of SORT_ORDERS) {
      it(`field=${field} order=${order}`, async () => {
        const session = sessionWithFiles(emulator, 400);
        const { ids } = await walkPages(
          emulator,
          filesPath(session.session_id),
          { field, order, limit: 100 },
          fileIdOf,
        );
        expect(ids).toEqual(expectedOrder(session.files, fileValue(field), fileIdOf, order));
      });
    }
  }

  it('defaults to the hidden created_at, DESC, and never returns it', async () => {
    const session = sessionWithFiles(emulator, 400);
    const answer = await get(emulator, filesPath(session.session_id), { limit: 100 });
    const expected = expectedOrder(session.files, fileValue('created_at'), fileIdOf, 'DESC').slice(0, 100);
    expect(answer.body.data.map(fileIdOf)).toEqual(expected);
    expect(Object.keys(answer.body.data[0]).sort()).toEqual([
      'file_ingestion_id',
      'ingestion_status',
      'ingestion_status_reason',
      'name',
    ]);
  });

  it('sorts a filtered list the same way', async () => {
    const session = sessionWithFiles(emulator, 400);
    const query = { field: 'name', order: 'ASC', ingestion_status: 'FINISHED', limit: 100 };
    const { ids } = await walkPages(emulator, filesPath(session.session_id), query, fileIdOf);
    const finished = session.files.filter((f) => f.ingestion_status === 'FINISHED');
    expect(ids).toEqual(expectedOrder(finished, fileValue('name'), fileIdOf, 'ASC'));
  });
});
