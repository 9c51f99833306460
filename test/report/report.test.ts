/**
 * The report engine against the emulator over real HTTP, into a real folder: every row and
 * count checked against truth computed from the emulator's dataset.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportMode, ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { truthOf } from '../support/truth';

let emulator: RunningEmulator;
const dirs: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    seed: 11,
    sessions: 30,
    maxFiles: 1500,
    now: new Date('2026-11-20T00:00:00Z'),
  });
});
afterAll(async () => {
  await emulator.close();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function report(workspace: string, mode: ReportMode = 'full', emu = emulator) {
  const dir = await mkdtemp(join(tmpdir(), 'report-test-'));
  dirs.push(dir);
  const client = new UploadSessionsClient({ baseUrl: emu.url, apiKey: 'test-key', baseDelayMs: 1 });
  const summary = await runReport({
    client,
    workspace,
    mode,
    runId: newRunId(),
    target: { store: new FolderStore(dir), prefix: '' },
  });
  const read = async (name: string) => readFile(join(dir, name), 'utf8').catch(() => undefined);
  return { dir, summary, client, read };
}

const rowsOf = (text: string | undefined) => {
  if (text === undefined) throw new Error('file missing');
  expect(text.endsWith('\r\n')).toBe(true);
  return Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n' }).data;
};

const sessionsOf = (emu: RunningEmulator, workspace = 'demo') => emu.dataset.workspaces.get(workspace)!;

/** Where the counts are in a sessions.csv row. */
const [TOTAL, PENDING, FAILED, FINISHED, OTHER] = [7, 8, 9, 10, 12];

/** pending + failed + finished + other = total_files, in every row with counts. */
function expectCountsAddUp(sessionRows: string[][]) {
  for (const row of sessionRows.filter((r) => r[TOTAL] !== '')) {
    const parts = [PENDING, FAILED, FINISHED, OTHER].map((i) => Number(row[i]));
    expect(
      parts.reduce((sum, n) => sum + n, 0),
      row[0],
    ).toBe(Number(row[TOTAL]));
  }
}

describe('report, mode full', () => {
  it('matches the dataset row for row and count for count', async () => {
    const truth = truthOf(sessionsOf(emulator));
    const { summary, read } = await report('demo');
    const sessions = rowsOf(await read('sessions.csv'));
    const files = rowsOf(await read('files.csv'));
    const failed = rowsOf(await read('failed_files.csv'));
    expect(sessions[0]).toEqual([
      'session_id',
      'status',
      'write_mode',
      'created_at',
      'expires_at',
      'created_by',
      'created_by_user_id',
      'total_files',
      'pending',
      'failed',
      'finished',
      'error',
      'other',
      'stuck',
    ]);
    expect(files[0]).toEqual([
      'session_id',
      'file_ingestion_id',
      'name',
      'ingestion_status',
      'ingestion_status_reason',
    ]);
    expect(failed[0]).toEqual(files[0]);
    expect(sessions.slice(1)).toEqual(truth.sessionRows);
    expect(files.slice(1)).toEqual(truth.fileRows);
    expect(failed.slice(1)).toEqual(truth.failedRows);
    expect(summary.complete).toBe(true);
    expect(summary.files.total).toBe(truth.filesTotal);
    expect(summary.sessions.total).toBe(sessionsOf(emulator).length);
    for (const [status, n] of Object.entries(truth.byStatus))
      expect(summary.files.by_ingestion_status[status]).toBe(n);
    for (const [reason, n] of Object.entries(truth.failedByReason))
      expect(summary.files.failed_by_reason[reason]).toBe(n);
    for (const [status, n] of Object.entries(truth.sessionsByStatus))
      expect(summary.sessions.by_status[status]).toBe(n);
    const summaryFile = JSON.parse((await read('summary.json'))!) as ReportSummary;
    expect(summaryFile).toEqual(summary);
  });

  it('sends the minimum number of requests: ceil(S/100) + sum of max(1, ceil(F/100))', async () => {
    const sessions = sessionsOf(emulator);
    const minimum =
      Math.max(1, Math.ceil(sessions.length / 100)) +
      sessions.reduce((sum, s) => sum + Math.max(1, Math.ceil(s.files.length / 100)), 0);
    const { summary } = await report('demo');
    expect(summary.api_requests).toBe(minimum);
  });

  it('writes byte-identical CSVs for the same data', async () => {
    const a = await report('demo');
    const b = await report('demo');
    for (const name of ['sessions.csv', 'files.csv', 'failed_files.csv']) {
      expect(await a.read(name)).toBe(await b.read(name));
    }
  });
});

describe('report, mode summary', () => {
  it('gives the same sessions.csv, failed_files.csv and counts as mode full, without files.csv', async () => {
    const full = await report('demo', 'full');
    const summary = await report('demo', 'summary');
    expect(await summary.read('sessions.csv')).toBe(await full.read('sessions.csv'));
    expect(await summary.read('failed_files.csv')).toBe(await full.read('failed_files.csv'));
    expect(await summary.read('files.csv')).toBeUndefined();
    expect(summary.summary.files).toEqual(full.summary.files);
    expect(summary.summary.sessions).toEqual(full.summary.sessions);
    expect(summary.summary.mode).toBe('summary');
  });

  it('sends 1 request per session of <= 100 files, 2 up to 200, else 2 + max(1, ceil(failed/100))', async () => {
    const sessions = sessionsOf(emulator);
    const cost = (files: { ingestion_status: string }[]) => {
      const failed = files.filter((file) => file.ingestion_status === 'FAILED').length;
      if (files.length <= 100) return 1;
      return files.length <= 200 ? 2 : 2 + Math.max(1, Math.ceil(failed / 100));
    };
    const expected =
      Math.max(1, Math.ceil(sessions.length / 100)) + sessions.reduce((sum, s) => sum + cost(s.files), 0);
    expect(sessions.some((s) => s.files.length > 100 && s.files.length <= 200)).toBe(true);
    const { summary } = await report('demo', 'summary');
    expect(summary.api_requests).toBe(expected);
  });
});

describe('report edge cases', () => {
  it('reports a workspace with no sessions: headers only, zero counts, complete', async () => {
    emulator.dataset.workspaces.set('empty', []);
    const { summary, read } = await report('empty');
    expect(summary.complete).toBe(true);
    expect(summary.sessions.total).toBe(0);
    expect(summary.files.total).toBe(0);
    expect(rowsOf(await read('sessions.csv'))).toHaveLength(1);
    expect(rowsOf(await read('files.csv'))).toHaveLength(1);
    expect(rowsOf(await read('failed_files.csv'))).toHaveLength(1);
  });

  it('keeps unknown enum values under their own names, and in sessions.csv as "other"', async () => {
    const emu = await startEmulator({ port: 0, seed: 5, sessions: 12, maxFiles: 300, unknownEnums: true });
    try {
      const truth = truthOf(sessionsOf(emu));
      const { summary, read } = await report('demo', 'full', emu);
      expect(rowsOf(await read('files.csv')).slice(1)).toEqual(truth.fileRows);
      const sessionRows = rowsOf(await read('sessions.csv')).slice(1);
      expect(sessionRows).toEqual(truth.sessionRows);
      expectCountsAddUp(sessionRows);
      expect(sessionRows.some((row) => Number(row[OTHER]) > 0)).toBe(true);
      const unknownStatuses = Object.keys(truth.byStatus).filter(
        (s) => !['PENDING', 'FAILED', 'FINISHED'].includes(s),
      );
      expect(unknownStatuses.length).toBeGreaterThan(0);
      for (const status of unknownStatuses)
        expect(summary.files.by_ingestion_status[status]).toBe(truth.byStatus[status]);
      for (const [reason, n] of Object.entries(truth.failedByReason))
        expect(summary.files.failed_by_reason[reason]).toBe(n);
      for (const [status, n] of Object.entries(truth.sessionsByStatus))
        expect(summary.sessions.by_status[status]).toBe(n);
    } finally {
      await emu.close();
    }
  });

  it('counts unknown statuses as "other" in mode summary too, for sessions it lists whole', async () => {
    // Up to 200 files a session is listed whole in mode summary, so every status is seen.
    const emu = await startEmulator({ port: 0, seed: 8, sessions: 10, maxFiles: 200, unknownEnums: true });
    try {
      const truth = truthOf(sessionsOf(emu));
      const { summary, read } = await report('demo', 'summary', emu);
      const sessionRows = rowsOf(await read('sessions.csv')).slice(1);
      expect(sessionRows).toEqual(truth.sessionRows);
      expectCountsAddUp(sessionRows);
      expect(sessionRows.some((row) => Number(row[OTHER]) > 0)).toBe(true);
      expect(summary.files.by_ingestion_status).toMatchObject(truth.byStatus);
    } finally {
      await emu.close();
    }
  });

  it('marks a session that vanished mid-run and still completes', async () => {
    const sessions = sessionsOf(emulator);
    const gone = sessions.find((s) => s.files.length > 0)!.session_id;
    emulator.faults.vanishedSessions.add(gone);
    try {
      const { summary, read } = await report('demo');
      const truth = truthOf(sessions, new Set([gone]));
      expect(summary.complete).toBe(true);
      expect(summary.warnings).toEqual([{ session_id: gone, code: 'SESSION_NOT_FOUND' }]);
      expect(rowsOf(await read('sessions.csv')).slice(1)).toEqual(truth.sessionRows);
      expect(rowsOf(await read('files.csv')).slice(1)).toEqual(truth.fileRows);
      expect(summary.files.total).toBe(truth.filesTotal);
    } finally {
      emulator.faults.vanishedSessions.delete(gone);
    }
  });

  async function failingRun(workspace: string) {
    const dir = await mkdtemp(join(tmpdir(), 'report-test-'));
    dirs.push(dir);
    const client = new UploadSessionsClient({ baseUrl: emulator.url, apiKey: 'k' });
    const run = runReport({
      client,
      workspace,
      mode: 'full',
      runId: newRunId(),
      target: { store: new FolderStore(dir), prefix: '' },
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e,
    );
    return { dir, error };
  }

  it('fails an unknown workspace with one clear line, writing nothing', async () => {
    const { dir, error } = await failingRun('nope');
    expect(error).toBeInstanceOf(ReportFailedError);
    expect((error as Error).message).toBe('workspace "nope" was not found');
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails on a response without a required field: summary.json says why, and no CSV is left', async () => {
    emulator.faults.dropField = { endpoint: 'files', field: 'ingestion_status' };
    try {
      const { dir, error } = await failingRun('demo');
      expect((error as ReportFailedError).failure.code).toBe('INVALID_RESPONSE');
      expect((await readdir(dir)).sort()).toEqual(['summary.json']);
      const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8')) as ReportSummary;
      expect(summary.complete).toBe(false);
      expect(summary.error?.code).toBe('INVALID_RESPONSE');
      expect(summary.error?.message).toMatch(/files: data\[0\]\.ingestion_status: /);
    } finally {
      emulator.faults.dropField = undefined;
    }
  });
});
