import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { InvalidResponseError, type UploadSessionsClient } from '../../lib/api';
import {
  clientFor,
  collect,
  demoSessions,
  largestSession,
  rejectionOf,
  resetFaults,
  startTestEmulator,
  WORKSPACE,
} from './emulator-fixture';

let emulator: RunningEmulator;
let client: UploadSessionsClient;
/** The raw query of every request that reached the handlers, as the emulator saw it. */
let seenQueries: Record<string, string>[];

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = clientFor(emulator);
});
afterAll(() => emulator.close());
afterEach(() => resetFaults(emulator));

function recordQueries(): void {
  seenQueries = [];
  emulator.faults.onRequest = (request) => {
    seenQueries.push(request.query);
  };
}

const ids = (entries: { session_id: string }[]) => entries.map((s) => s.session_id);

describe('sessions()', () => {
  it('walks every page (limit 100 by default) and yields every session once', async () => {
    recordQueries();
    const walked = await collect(client.sessions(WORKSPACE));
    expect(walked).toHaveLength(30);
    expect(new Set(ids(walked))).toEqual(new Set(ids(demoSessions(emulator))));
    expect(seenQueries).toEqual([{ limit: '100', page_number: '1' }]);
  });

  it('walks page_number 1..n with a given limit until has_more is false', async () => {
    recordQueries();
    const walked = await collect(client.sessions(WORKSPACE, { limit: 7 }));
    expect(seenQueries.map((q) => q.page_number)).toEqual(['1', '2', '3', '4', '5']);
    expect(new Set(ids(walked)).size).toBe(30);
  });

  it('passes sort and filter through', async () => {
    recordQueries();
    const expired = await collect(
      client.sessions(WORKSPACE, { is_expired: true, field: 'created_at', order: 'ASC', limit: 4 }),
    );
    expect(seenQueries[0]).toEqual({
      is_expired: 'true',
      field: 'created_at',
      order: 'ASC',
      limit: '4',
      page_number: '1',
    });
    const expected = demoSessions(emulator)
      .filter((s) => s.status === 'EXPIRED')
      .sort(
        (a, b) =>
          Date.parse(a.created_at) - Date.parse(b.created_at) || (a.session_id < b.session_id ? -1 : 1),
      );
    expect(ids(expired)).toEqual(ids(expected));

    const active = await collect(client.sessions(WORKSPACE, { is_expired: false }));
    expect(active.length + expired.length).toBe(30);
    expect(active.every((s) => s.status !== 'EXPIRED')).toBe(true);

    const byFileCount = await collect(
      client.sessions(WORKSPACE, { field: 'file_count', order: 'DESC', limit: 9 }),
    );
    const counts = new Map(demoSessions(emulator).map((s) => [s.session_id, s.files.length]));
    const walkedCounts = byFileCount.map((s) => counts.get(s.session_id) ?? -1);
    expect(walkedCounts).toEqual([...walkedCounts].sort((a, b) => b - a));
  });
});

describe('walkers', () => {
  it('can be iterated more than once', async () => {
    const everySession = client.sessions(WORKSPACE, { limit: 20 });
    expect((await collect(everySession)).length).toBe(30);
    expect((await collect(everySession)).length).toBe(30);
  });

  it('stop early without fetching the remaining pages', async () => {
    recordQueries();
    for await (const session of client.sessions(WORKSPACE, { limit: 5 })) {
      if (session) break;
    }
    expect(seenQueries).toHaveLength(1);
  });

  it('refuse to loop on an empty page that claims has_more', async () => {
    // The emulator answers limit=0 with no entries, the true total and has_more: true.
    const error = await rejectionOf(collect(client.sessions(WORKSPACE, { limit: 0 })));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(
      /^invalid response from GET \/workspaces\/\{w\}\/upload_sessions: has_more: true on page 1/,
    );
  });
});

describe('listSessions()', () => {
  it('returns one page whose total counts every match, not the page', async () => {
    const first = await client.listSessions(WORKSPACE, { limit: 5 });
    expect(first).toMatchObject({ total: 30, has_more: true });
    expect(first.data).toHaveLength(5);
    const last = await client.listSessions(WORKSPACE, { limit: 5, page_number: 6 });
    expect(last).toMatchObject({ total: 30, has_more: false });
    const expired = demoSessions(emulator).filter((s) => s.status === 'EXPIRED').length;
    expect((await client.listSessions(WORKSPACE, { is_expired: true, limit: 1 })).total).toBe(expired);
  });
});

describe('sessionFiles()', () => {
  it('walks all 12 pages of the largest session', async () => {
    const session = largestSession(emulator);
    expect(session.files).toHaveLength(1200);
    const before = emulator.stats.filesRequests;
    const files = await collect(client.sessionFiles(WORKSPACE, session.session_id));
    expect(emulator.stats.filesRequests - before).toBe(12);
    expect(files.map((f) => f.file_ingestion_id).sort()).toEqual(
      session.files.map((f) => f.file_ingestion_id).sort(),
    );
  });

  it('passes the status filter and the sort through', async () => {
    const session = largestSession(emulator);
    recordQueries();
    const failed = await collect(
      client.sessionFiles(WORKSPACE, session.session_id, {
        ingestion_status: 'FAILED',
        field: 'name',
        order: 'ASC',
      }),
    );
    expect(seenQueries[0]).toMatchObject({
      ingestion_status: 'FAILED',
      field: 'name',
      order: 'ASC',
      limit: '100',
    });
    expect(failed.length).toBe(session.files.filter((f) => f.ingestion_status === 'FAILED').length);
    expect(failed.every((f) => f.ingestion_status === 'FAILED' && f.ingestion_status_reason !== null)).toBe(
      true,
    );

    const createdAt = new Map(session.files.map((f) => [f.file_ingestion_id, Date.parse(f.created_at)]));
    const ascending = await collect(
      client.sessionFiles(WORKSPACE, session.session_id, { order: 'ASC', limit: 70 }),
    );
    const times = ascending.map((f) => createdAt.get(f.file_ingestion_id!) ?? Number.NaN);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('counts every file of every session, matching the dataset', async () => {
    const sessions = demoSessions(emulator);
    const counted = await Promise.all(
      sessions.map(async (s) => (await collect(client.sessionFiles(WORKSPACE, s.session_id))).length),
    );
    expect(counted).toEqual(sessions.map((s) => s.files.length));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(sessions.reduce((a, s) => a + s.files.length, 0));
  });

  it('yields nothing for a session without files, after one request', async () => {
    const empty = demoSessions(emulator).find((s) => s.files.length === 0);
    expect(empty).toBeDefined();
    const before = emulator.stats.filesRequests;
    expect(await collect(client.sessionFiles(WORKSPACE, empty!.session_id))).toEqual([]);
    expect(emulator.stats.filesRequests - before).toBe(1);
  });
});

describe('listSessionFiles()', () => {
  it('returns one page with the total of the (filtered) query', async () => {
    const session = largestSession(emulator);
    const page = await client.listSessionFiles(WORKSPACE, session.session_id, { limit: 10, page_number: 3 });
    expect(page).toMatchObject({ total: 1200, has_more: true });
    expect(page.data).toHaveLength(10);
    const pending = session.files.filter((f) => f.ingestion_status === 'PENDING').length;
    const counted = await client.listSessionFiles(WORKSPACE, session.session_id, {
      ingestion_status: 'PENDING',
      limit: 1,
    });
    expect(counted.total).toBe(pending);
  });
});
