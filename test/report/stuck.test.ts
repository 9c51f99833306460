/**
 * Stuck sessions: the rule at its edges, and the counts over a real run's sessions.csv after
 * the emulator's data moved a night forward, against the dataset counted here directly.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { advanceNight } from '../../emulator/advance-night';
import { startEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import { DEFAULT_STUCK_AFTER_HOURS, isStuck, StuckTally } from '../../lib/report/stuck';
import { FolderStore } from '../../lib/store/folder-store';

const HOUR = 3_600_000;
const start = Date.parse('2026-11-21T00:00:00Z');
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('isStuck', () => {
  it('needs pending files and an age of more than the threshold (24 h by default)', () => {
    expect(DEFAULT_STUCK_AFTER_HOURS).toBe(24);
    const exactly24h = new Date(start - 24 * HOUR).toISOString();
    const justOver = new Date(start - 24 * HOUR - 1).toISOString();
    expect(isStuck({ created_at: exactly24h, pending: 3 }, start)).toBe(false);
    expect(isStuck({ created_at: justOver, pending: 3 }, start)).toBe(true);
    expect(isStuck({ created_at: justOver, pending: 0 }, start)).toBe(false);
    expect(isStuck({ created_at: justOver, pending: null }, start)).toBe(false);
    expect(isStuck({ created_at: new Date(start - 5 * HOUR).toISOString(), pending: 1 }, start, 4)).toBe(
      true,
    );
    expect(isStuck({ created_at: '2026-11-19T23:59:59.999999Z', pending: 1 }, start)).toBe(true);
  });

  it('adds up stuck sessions and their pending files', () => {
    const tally = new StuckTally(start, 48);
    const old = new Date(start - 49 * HOUR).toISOString();
    expect([
      tally.add({ created_at: old, pending: 5 }),
      tally.add({ created_at: old, pending: 0 }),
      tally.add({ created_at: new Date(start - HOUR).toISOString(), pending: 9 }),
      tally.add({ created_at: old, pending: 2 }),
    ]).toEqual([true, false, false, true]);
    expect(tally.toSummary()).toEqual({ after_hours: 48, sessions: 2, pending_files: 7 });
  });
});

describe('stuck over a real run', () => {
  it('counts the old sessions with pending files and not the one that arrived overnight', async () => {
    const emulator = await startEmulator({
      port: 0,
      seed: 17,
      sessions: 25,
      maxFiles: 300,
      now: new Date('2026-11-20T00:00:00Z'),
    });
    try {
      const night = advanceNight(emulator.dataset, { seed: 2 });
      const runAt = Date.parse(night.until);
      const dir = await mkdtemp(join(tmpdir(), 'stuck-test-'));
      dirs.push(dir);
      const client = new UploadSessionsClient({ baseUrl: emulator.url, apiKey: 'k', baseDelayMs: 1 });
      const target = { store: new FolderStore(dir), prefix: '' };
      await runReport({ client, workspace: 'demo', mode: 'full', runId: newRunId(), target });
      const text = await readFile(join(dir, 'sessions.csv'), 'utf8');
      const rows = Papa.parse<Record<string, string>>(text.trim(), { header: true, newline: '\r\n' }).data;
      const tally = new StuckTally(runAt);
      const stuckIds = rows
        .filter((row) => tally.add({ created_at: row.created_at!, pending: Number(row.pending) }))
        .map((row) => row.session_id);

      const sessions = emulator.dataset.workspaces.get('demo')!;
      const pendingOf = (s: (typeof sessions)[number]) =>
        s.files.filter((f) => f.ingestion_status === 'PENDING').length;
      const expected = sessions.filter(
        (s) => pendingOf(s) > 0 && Date.parse(s.created_at) < runAt - 24 * HOUR,
      );
      expect(new Set(stuckIds)).toEqual(new Set(expected.map((s) => s.session_id)));
      expect(tally.toSummary()).toEqual({
        after_hours: 24,
        sessions: expected.length,
        pending_files: expected.reduce((sum, s) => sum + pendingOf(s), 0),
      });
      const arrived = sessions.find((s) => s.session_id === night.newSession.session_id)!;
      expect(pendingOf(arrived)).toBeGreaterThan(0);
      expect(stuckIds).not.toContain(arrived.session_id);
      expect(expected.length).toBeGreaterThan(0);
    } finally {
      await emulator.close();
    }
  });
});
