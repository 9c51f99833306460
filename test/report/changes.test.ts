/**
 * changes.csv against real runs: the report engine walks the emulator over HTTP into a folder,
 * the data moves one night forward (advanceNight), a second run follows, and the streamed
 * merge reads both folders back. The expected rows are computed from the two datasets
 * (test/support/expected-changes), by sorting the union of files, independently of the merge.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceNight, type NightChanges } from '../../emulator/advance-night';
import type { EmulatorSession } from '../../emulator/dataset';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import {
  CHANGE_COLUMNS,
  type ChangeScope,
  openBaseline,
  openRunFolder,
  writeChanges,
} from '../../lib/report/changes';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportMode } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import {
  expectedChangeRows,
  expectedNewlyFailed as expectedNewlyFailedOf,
} from '../support/expected-changes';

let emulator: RunningEmulator;
let night: NightChanges;
let before: EmulatorSession[];
let after: EmulatorSession[];
const runs: Record<string, { store: FolderStore; runId: string }> = {};
const dirs: string[] = [];

async function report(mode: ReportMode) {
  const dir = await mkdtemp(join(tmpdir(), 'changes-test-'));
  dirs.push(dir);
  const client = new UploadSessionsClient({ baseUrl: emulator.url, apiKey: 'test-key', baseDelayMs: 1 });
  const runId = newRunId();
  const store = new FolderStore(dir);
  await runReport({ client, workspace: 'demo', mode, runId, target: { store, prefix: '' } });
  return { store, runId };
}

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: 13,
    sessions: 30,
    maxFiles: 400,
    now: new Date('2026-11-20T00:00:00Z'),
  });
  const sessions = emulator.dataset.workspaces.get('demo')!;
  before = structuredClone(sessions);
  runs.fullBefore = await report('full');
  runs.summaryBefore = await report('summary');
  night = advanceNight(emulator.dataset, { seed: 4 });
  after = structuredClone(sessions);
  runs.fullAfter = await report('full');
  runs.summaryAfter = await report('summary');
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** changes.csv and the counts, comparing run `previous` with run `current` as a run in `mode` would. */
async function compare(previous: string, current: string, mode: ReportMode) {
  const opened = await openBaseline(runs[previous]!.store, '', mode);
  if ('unavailable' in opened) throw new Error(opened.unavailable);
  const folder = await openRunFolder(runs[current]!.store, '', opened.baseline.scope);
  if ('unavailable' in folder) throw new Error(folder.unavailable);
  let text = '';
  const outcome = await writeChanges(opened.baseline, folder, async (chunk) => {
    text += chunk;
  });
  expect(text.endsWith('\r\n')).toBe(true);
  const rows = Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n' }).data;
  return { ...outcome, header: rows[0], rows: rows.slice(1), runId: runs[previous]!.runId };
}

const expectedRows = (scope: ChangeScope) => expectedChangeRows(before, after, scope);
const expectedNewlyFailed = () => expectedNewlyFailedOf(before, after);

const count = (rows: string[][], change: string) => rows.filter((r) => r[6] === change).length;

describe('changes between two full runs (scope all)', () => {
  it('writes exactly the expected rows, removed ones in place, sessions gone and new included', async () => {
    const result = await compare('fullBefore', 'fullAfter', 'full');
    expect(result.header).toEqual([...CHANGE_COLUMNS]);
    const expected = expectedRows('all');
    expect(result.rows).toEqual(expected);
    const sessionsInRows = new Set(result.rows.map((r) => r[0]));
    expect(sessionsInRows.has(night.newSession.session_id)).toBe(true);
    expect(sessionsInRows.has(night.removedSession!.session_id)).toBe(true);
    expect(result.uncomparedSessions).toEqual([]);
  });

  it('counts what the night did: added, removed, each transition, newly failed by reason', async () => {
    const { summary, runId } = await compare('fullBefore', 'fullAfter', 'full');
    expect(summary).toEqual({
      previous_run_id: runId,
      scope: 'all',
      added: night.added + night.newSession.files,
      removed: night.removed + night.removedSession!.files,
      status_changed: night.finished + night.failed,
      transitions: { 'PENDING->FAILED': night.failed, 'PENDING->FINISHED': night.finished },
      newly_failed_by_reason: expectedNewlyFailed(),
    });
  });

  it('finds nothing between a run and itself', async () => {
    const result = await compare('fullAfter', 'fullAfter', 'full');
    expect(result.rows).toEqual([]);
    expect([result.summary.added, result.summary.removed, result.summary.status_changed]).toEqual([0, 0, 0]);
  });
});

describe('changes in the failed-only scope', () => {
  it('two summary-mode runs: the FAILED lists compared, newly failed as added', async () => {
    const result = await compare('summaryBefore', 'summaryAfter', 'summary');
    const expected = expectedRows('failed_only');
    expect(result.rows).toEqual(expected);
    expect(result.summary).toEqual({
      previous_run_id: result.runId,
      scope: 'failed_only',
      added: count(expected, 'added'),
      removed: count(expected, 'removed'),
      status_changed: 0,
      transitions: {},
      newly_failed_by_reason: expectedNewlyFailed(),
    });
    expect(result.summary.added).toBeGreaterThan(0);
    expect(result.summary.removed).toBeGreaterThan(0);
  });

  it('a full run after a summary-mode baseline compares FAILED files only, with the same result', async () => {
    const mixed = await compare('summaryBefore', 'fullAfter', 'full');
    expect(mixed.summary.scope).toBe('failed_only');
    expect(mixed.rows).toEqual(expectedRows('failed_only'));
  });

  it("a summary-mode run after a full baseline reads the baseline's failed_files.csv", async () => {
    const mixed = await compare('fullBefore', 'summaryAfter', 'summary');
    expect(mixed.summary.scope).toBe('failed_only');
    expect(mixed.rows).toEqual(expectedRows('failed_only'));
  });
});

describe('no usable baseline', () => {
  it('says why: no run there, or an incomplete one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'changes-none-'));
    dirs.push(dir);
    const store = new FolderStore(dir);
    expect(await openBaseline(store, '', 'full')).toEqual({
      unavailable: `no summary.json in ${store.location}`,
    });
    const { store: done } = runs.fullBefore!;
    const summary = JSON.parse((await done.read('summary.json'))!.body);
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ ...summary, complete: false }));
    expect(await openBaseline(store, '', 'full')).toEqual({
      unavailable: `previous run ${summary.run_id} is incomplete`,
    });
  });
});
