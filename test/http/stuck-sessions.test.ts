/**
 * The Stuck panel's list, read from a large sessions.csv as it streams: the bounded top list
 * keeps exactly what a full sort would put first (most pending, then oldest, then id), counts
 * every stuck session, reads columns by name (a column appended later changes nothing), and
 * finds none in a run written before the `stuck` column.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visitSessionRows } from '../../functions/http/dashboard/session-rows';
import { type StuckSession, stuckSessionsCollector } from '../../functions/http/dashboard/stuck-sessions';
import { SESSION_COLUMNS } from '../../lib/report/columns';
import { csvHeader, csvRows } from '../../lib/report/csv';
import { FolderStore } from '../../lib/store/folder-store';

const SESSIONS = 30_000;
let dir: string;
let store: FolderStore;

/** A deterministic session: every third one stuck, pending counts with many ties. */
function session(i: number) {
  return {
    id: `s-${String(i).padStart(6, '0')}`,
    createdAt: new Date(Date.UTC(2026, 10, 1) + ((i * 7919) % 100_000) * 1000).toISOString(),
    pending: (i * 31) % 97,
    stuck: i % 3 === 0 && (i * 31) % 97 > 0,
  };
}

/** sessions.csv of SESSIONS sessions with the given extra columns after the contract's. */
async function writeSessions(key: string, extra: string[]): Promise<void> {
  const base = (SESSION_COLUMNS as readonly string[]).filter((name) => name !== 'stuck');
  const columns = [...base, ...extra];
  const rows = Array.from({ length: SESSIONS }, (_, i) => {
    const s = session(i);
    const record: Record<string, string | number> = {
      session_id: s.id,
      created_at: s.createdAt,
      created_by: 'Kay Ng',
      pending: s.pending,
      stuck: String(s.stuck),
      later: 'x',
    };
    return columns.map((name) => record[name] ?? null);
  });
  await store.write(key, csvHeader(columns) + csvRows(rows), { contentType: 'text/csv' });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stuck-sessions-'));
  store = new FolderStore(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the stuck sessions of sessions.csv', () => {
  it('keeps what a full sort puts first, and counts them all, with a column appended after stuck', async () => {
    await writeSessions('with-stuck.csv', ['stuck', 'later']);
    const collector = stuckSessionsCollector(10);
    expect(await visitSessionRows(store, 'with-stuck.csv', [collector.visit])).toBe(true);
    const stuck = Array.from({ length: SESSIONS }, (_, i) => session(i)).filter((s) => s.stuck);
    const expected: StuckSession[] = stuck
      .sort(
        (a, b) => b.pending - a.pending || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id),
      )
      .slice(0, 10)
      .map((s) => ({ sessionId: s.id, createdBy: 'Kay Ng', createdAt: s.createdAt, pending: s.pending }));
    const { shown, total } = collector.result();
    expect(total).toBe(stuck.length);
    expect(total).toBeGreaterThan(9_000);
    expect(shown).toEqual(expected);
  });

  it('finds none in a run written before the stuck column', async () => {
    await writeSessions('without-stuck.csv', []);
    const collector = stuckSessionsCollector(10);
    await visitSessionRows(store, 'without-stuck.csv', [collector.visit]);
    expect(collector.result()).toEqual({ shown: [], total: 0 });
  });

  it('says when sessions.csv is missing', async () => {
    expect(await visitSessionRows(store, 'nowhere.csv', [() => {}])).toBe(false);
  });
});
