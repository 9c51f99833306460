/**
 * A workspace that changes while a report runs: the emulator with two workspaces (many sessions;
 * a big session), fresh for every test, and the means to change them once at a chosen request,
 * as a live workspace would change under a walk. Used by data-changes.test.ts and
 * data-changes-known-limit.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import { type EmulatorFile, type EmulatorSession, generateDataset, touch } from '../../emulator/dataset';
import type { EmulatorRequest } from '../../emulator/faults';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { ReportMode } from '../../lib/report/summary';
import { consistencyProblems, type Snapshot } from './change-consistency';
import { MATRIX_API_KEY, removeRunFolders, resetFaults, runToFolder, sessionsOf } from './report-fixture';

/** 130 sessions: two pages of sessions. */
export const MANY = 'many';
/** A session of 700 files (seven pages) beside one of 101 and an empty one. */
export const BIG = 'big';
export const EARLIEST = '2000-01-01T00:00:00.000001Z';

/** The emulator of the test file using this fixture (each test file has its own module state). */
let emulator: RunningEmulator;

/** Starts the emulator for the file's tests, and gives every test the same fresh data. */
export function useChangingEmulator(): void {
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, apiKey: MATRIX_API_KEY, dataset: freshDataset() });
  });
  beforeEach(() => {
    // Every test mutates: each starts from the same generated data.
    const fresh = freshDataset();
    for (const [name, sessions] of fresh.workspaces) emulator.dataset.workspaces.set(name, sessions);
    touch(emulator.dataset);
  });
  afterEach(() => resetFaults(emulator));
  afterAll(async () => {
    await emulator?.close();
    await removeRunFolders();
  });
}

function freshDataset() {
  const many = generateDataset({ seed: 31, sessions: 130, maxFiles: 40 });
  const big = generateDataset({ seed: 32, sessions: 3, maxFiles: 700 });
  return {
    workspaces: new Map([
      [MANY, many.workspaces.get('demo')!],
      [BIG, big.workspaces.get('demo')!],
    ]),
    version: 1,
  };
}

/**
 * Runs `mutate` once, at the `nth` request that `matches` (counted across the run), then
 * `touch`es the dataset. Returns a flag that says whether it fired.
 */
export function mutateAt(nth: number, matches: (request: EmulatorRequest) => boolean, mutate: () => void) {
  const state = { seen: 0, fired: false };
  emulator.faults.onRequest = (request) => {
    if (state.fired || !matches(request) || ++state.seen < nth) return;
    mutate();
    touch(emulator.dataset);
    state.fired = true;
  };
  return state;
}

export const sessions = (workspace: string) => sessionsOf(emulator, workspace);
export const biggest = () => sessions(BIG).reduce((a, b) => (b.files.length > a.files.length ? b : a));
export const isSessionsRequest = (request: EmulatorRequest) => request.endpoint === 'sessions';
export const isFilesOf = (id: string) => (request: EmulatorRequest) => request.sessionId === id;

export function removeSessions(workspace: string, drop: EmulatorSession[]): void {
  const ids = new Set(drop.map((s) => s.session_id));
  emulator.dataset.workspaces.set(
    workspace,
    sessions(workspace).filter((s) => !ids.has(s.session_id)),
  );
}

export function newSession(template: EmulatorSession, createdAt: string): EmulatorSession {
  return {
    ...structuredClone(template),
    session_id: randomUUID(),
    created_at: createdAt,
    files: template.files.slice(0, 3).map((f) => ({ ...f, file_ingestion_id: randomUUID() })),
  };
}

export function newFile(createdAt: string): EmulatorFile {
  const id = randomUUID();
  return {
    file_ingestion_id: id,
    name: `added-${id}.pdf`,
    ingestion_status: 'FINISHED',
    ingestion_status_reason: null,
    created_at: createdAt,
  };
}

/** Session ID -> (file ID -> status) of `list`, to compare what existed before and after a run. */
export const snapshot = (list: EmulatorSession[]): Snapshot =>
  new Map(
    list.map((s) => [s.session_id, new Map(s.files.map((f) => [f.file_ingestion_id, f.ingestion_status]))]),
  );

/** One way the data changes under a run. */
export interface ChangeCase {
  name: string;
  workspace: string;
  mode?: ReportMode;
  /** Sets up the one-off mutation; returns its fired-flag and, for a known limit, its miss. */
  arm(): { fired: boolean; knownMiss?: string };
}

/** Runs a report while `change` happens: the problems found, and the change's known miss. */
export async function reportDuring(change: ChangeCase) {
  const before = snapshot(sessions(change.workspace));
  const trigger = change.arm();
  const mode = change.mode ?? 'full';
  const run = await runToFolder(emulator, change.workspace, { mode });
  expect(trigger.fired, 'the data changed during the run').toBe(true);
  const problems = await consistencyProblems(run, before, snapshot(sessions(change.workspace)), mode);
  return { problems, knownMiss: trigger.knownMiss };
}

/** The running emulator (for runs outside `reportDuring`). */
export const changingEmulator = (): RunningEmulator => emulator;
