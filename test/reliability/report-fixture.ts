/**
 * What the reliability tests share: one full report run into a fresh folder (real HTTP to the
 * emulator, the real engine, a real FolderStore), its CSVs read back with papaparse, and the
 * assertions that a report is exactly the truth, or at least consistent with itself.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { expect } from 'vitest';
import type { EmulatorSession } from '../../emulator/dataset';
import { createFaults } from '../../emulator/faults';
import type { RunningEmulator } from '../../emulator/server';
import { type ClientOptions, type TransientError, UploadSessionsClient } from '../../lib/api';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportMode, ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { type Truth, truthOf } from '../support/truth';

/** Distinctive, so a leak into any output is found by a plain substring search. */
export const MATRIX_API_KEY = 'matrix-key-5d1e9b7c3a';

/**
 * Small delays, so a retry costs ~10 ms. The per-attempt timeout is generous for loopback pages
 * of 100 entries even on 2 busy cores; the hang cases shorten it.
 */
export const FAST_CLIENT: Partial<ClientOptions> = {
  timeoutMs: 3_000,
  baseDelayMs: 1,
  maxDelayMs: 20,
  maxAttempts: 5,
  maxRetryAfterMs: 3_000,
};

/** A retry the client announced (onRetry). */
export interface RetrySeen {
  endpoint: string;
  attempt: number;
  delayMs: number;
  error: TransientError;
}

/** One run's outcome: the summary (or the error), what is in its folder, and the retries seen. */
export interface RunOutcome {
  dir: string;
  summary?: ReportSummary;
  error?: unknown;
  retries: RetrySeen[];
  durationMs: number;
  files(): Promise<string[]>;
  read(name: string): Promise<string | undefined>;
}

const dirs: string[] = [];

/** Removes every folder `runToFolder` created (call in afterAll). */
export async function removeRunFolders(): Promise<void> {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

/** Runs a whole report of `workspace` into a new temp folder; never throws for a failed run. */
export async function runToFolder(
  emulator: RunningEmulator,
  workspace: string,
  options: { mode?: ReportMode; client?: Partial<ClientOptions> } = {},
): Promise<RunOutcome> {
  const dir = await mkdtemp(join(tmpdir(), 'reliability-'));
  dirs.push(dir);
  const retries: RetrySeen[] = [];
  const client = new UploadSessionsClient({
    baseUrl: emulator.url,
    apiKey: MATRIX_API_KEY,
    ...FAST_CLIENT,
    ...options.client,
    onRetry: (event) => retries.push(event),
  });
  const started = performance.now();
  const outcome = await runReport({
    client,
    workspace,
    mode: options.mode ?? 'full',
    runId: newRunId(),
    target: { store: new FolderStore(dir), prefix: '' },
  }).then(
    (summary) => ({ summary }),
    (error: unknown) => ({ error }),
  );
  return {
    dir,
    ...outcome,
    retries,
    durationMs: Math.round(performance.now() - started),
    files: async () => (await readdir(dir)).sort(),
    read: (name) => readFile(join(dir, name), 'utf8').catch(() => undefined),
  };
}

/** The data rows of a CSV (header dropped), as papaparse reads them; fails on a missing file. */
export function csvBody(text: string | undefined): string[][] {
  return csvTable(text).slice(1);
}

/** Every row of a CSV, header included. */
export function csvTable(text: string | undefined): string[][] {
  if (text === undefined) throw new Error('the CSV file is missing');
  expect(text.endsWith('\r\n'), 'a CSV ends with CRLF').toBe(true);
  return Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n' }).data;
}

/** Puts every fault knob back to "nothing injected". */
export function resetFaults(emulator: RunningEmulator): void {
  Object.assign(emulator.faults, createFaults(), { dropField: undefined, onRequest: undefined });
  emulator.faults.maxRequestsPerSecond = undefined;
}

/** The sessions of a workspace of the emulator. */
export function sessionsOf(emulator: RunningEmulator, workspace: string): EmulatorSession[] {
  const sessions = emulator.dataset.workspaces.get(workspace);
  if (!sessions) throw new Error(`the emulator has no workspace ${workspace}`);
  return sessions;
}

/** Asserts a complete run whose three CSVs and summary counts equal `truth` exactly. */
export async function expectExactly(run: RunOutcome, truth: Truth, sessionCount: number): Promise<void> {
  if (run.error) throw run.error;
  const summary = run.summary!;
  expect(summary.complete).toBe(true);
  expect(await run.files()).toEqual(['failed_files.csv', 'files.csv', 'sessions.csv', 'summary.json']);
  expect(csvBody(await run.read('sessions.csv'))).toEqual(truth.sessionRows);
  expect(csvBody(await run.read('files.csv'))).toEqual(truth.fileRows);
  expect(csvBody(await run.read('failed_files.csv'))).toEqual(truth.failedRows);
  expect(summary.sessions.total).toBe(sessionCount);
  expect(summary.files.total).toBe(truth.filesTotal);
  expect(nonZero(summary.files.by_ingestion_status)).toEqual(truth.byStatus);
  expect(nonZero(summary.files.failed_by_reason)).toEqual(truth.failedByReason);
  expect(nonZero(summary.sessions.by_status)).toEqual(truth.sessionsByStatus);
  expect(JSON.parse((await run.read('summary.json'))!)).toEqual(summary);
}

/** A count object without its zero entries (the summary lists documented values as 0). */
export function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

/** The truth of a workspace as it is now (a deep copy is not needed: truthOf only reads). */
export function truthNow(emulator: RunningEmulator, workspace: string, vanished?: Set<string>): Truth {
  return truthOf(sessionsOf(emulator, workspace), vanished);
}
