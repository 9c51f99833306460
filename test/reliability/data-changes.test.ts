/**
 * Data that changes while a report runs (issue 6): sessions and files inserted and deleted
 * between the pages the engine reads, file statuses changing, sessions vanishing. The emulator's
 * `onRequest` hook mutates the dataset once, at a chosen request, exactly as a live workspace
 * would change under a walk. The report must never duplicate a row, never lose an entry that
 * existed from before the run to after it, and its counts must agree with its rows. A session
 * that vanishes mid-run is a warning and the run completes (the report contract).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type EmulatorFile, type EmulatorSession, generateDataset, touch } from '../../emulator/dataset';
import type { EmulatorRequest } from '../../emulator/faults';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import type { ReportMode } from '../../lib/report/summary';
import { sortedFiles, sortedSessions, truthOf } from '../support/truth';
import {
  csvBody,
  expectExactly,
  MATRIX_API_KEY,
  nonZero,
  type RunOutcome,
  removeRunFolders,
  resetFaults,
  runToFolder,
  sessionsOf,
} from './report-fixture';

/** 130 sessions: two pages of sessions. */
const MANY = 'many';
/** A session of 700 files (seven pages) beside one of 101 and an empty one. */
const BIG = 'big';
const EARLIEST = '2000-01-01T00:00:00.000001Z';

let emulator: RunningEmulator;

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
function mutateAt(nth: number, matches: (request: EmulatorRequest) => boolean, mutate: () => void) {
  const state = { seen: 0, fired: false };
  emulator.faults.onRequest = (request) => {
    if (state.fired || !matches(request) || ++state.seen < nth) return;
    mutate();
    touch(emulator.dataset);
    state.fired = true;
  };
  return state;
}

const sessions = (workspace: string) => sessionsOf(emulator, workspace);
const biggest = () => sessions(BIG).reduce((a, b) => (b.files.length > a.files.length ? b : a));
const isSessionsRequest = (request: EmulatorRequest) => request.endpoint === 'sessions';
const isFilesOf = (id: string) => (request: EmulatorRequest) => request.sessionId === id;

function removeSessions(workspace: string, drop: EmulatorSession[]): void {
  const ids = new Set(drop.map((s) => s.session_id));
  emulator.dataset.workspaces.set(
    workspace,
    sessions(workspace).filter((s) => !ids.has(s.session_id)),
  );
}

function newSession(template: EmulatorSession, createdAt: string): EmulatorSession {
  return {
    ...structuredClone(template),
    session_id: randomUUID(),
    created_at: createdAt,
    files: template.files.slice(0, 3).map((f) => ({ ...f, file_ingestion_id: randomUUID() })),
  };
}

function newFile(createdAt: string): EmulatorFile {
  const id = randomUUID();
  return {
    file_ingestion_id: id,
    name: `added-${id}.pdf`,
    ingestion_status: 'FINISHED',
    ingestion_status_reason: null,
    created_at: createdAt,
  };
}

/** Session ID -> (file ID -> status), to compare what existed before and after a run. */
type Snapshot = Map<string, Map<string, string>>;
const snapshot = (list: EmulatorSession[]): Snapshot =>
  new Map(
    list.map((s) => [s.session_id, new Map(s.files.map((f) => [f.file_ingestion_id, f.ingestion_status]))]),
  );

/**
 * The guarantees under change: complete; no duplicate session or file; every session and file
 * that existed before and after the run is in it (unless its session was warned about); nothing
 * that never existed; each file's status is its old or its new one; counts agree with rows.
 * Violations are collected, so a failure lists every lost or duplicated ID at once.
 */
async function expectConsistent(run: RunOutcome, before: Snapshot, after: Snapshot, mode: ReportMode) {
  if (run.error) throw run.error;
  const summary = run.summary!;
  expect(summary.complete).toBe(true);
  const sessionRows = csvBody(await run.read('sessions.csv'));
  const fileRows = mode === 'full' ? csvBody(await run.read('files.csv')) : undefined;
  const failedRows = csvBody(await run.read('failed_files.csv'));
  const problems: string[] = [];
  const listed = new Set(sessionRows.map((row) => row[0]!));
  if (listed.size !== sessionRows.length) problems.push('a session is listed twice');
  for (const id of before.keys()) if (after.has(id) && !listed.has(id)) problems.push(`lost session ${id}`);
  for (const id of listed) if (!before.has(id) && !after.has(id)) problems.push(`unknown session ${id}`);

  const byId = (rows: string[][]) => {
    const groups = new Map<string, string[][]>();
    for (const row of rows) groups.set(row[0]!, [...(groups.get(row[0]!) ?? []), row]);
    return groups;
  };
  const filesBySession = fileRows ? byId(fileRows) : undefined;
  const failedBySession = byId(failedRows);
  for (const row of sessionRows) {
    const id = row[0]!;
    const [total, pending, failed, finished] = row.slice(7, 11).map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const failedOfSession = failedBySession.get(id) ?? [];
    if (row[11] !== '') {
      expect(row.slice(7, 12)).toEqual(['', '', '', '', 'SESSION_NOT_FOUND']);
      if (filesBySession?.has(id) || failedOfSession.length > 0)
        problems.push(`rows of vanished session ${id}`);
      continue;
    }
    if (failed !== failedOfSession.length) problems.push(`session ${id}: failed ${failed} != failed rows`);
    if (pending + failed + finished !== total) problems.push(`session ${id}: counts do not add up`);
    if (!filesBySession) continue;
    const mine = filesBySession.get(id) ?? [];
    const count = (status: string) => mine.filter((r) => r[3] === status).length;
    if (total !== mine.length || pending !== count('PENDING') || finished !== count('FINISHED')) {
      problems.push(`session ${id}: counts ${row.slice(7, 11)} disagree with its ${mine.length} rows`);
    }
    problems.push(...fileProblems(id, mine, before.get(id), after.get(id)));
  }
  expect(problems).toEqual([]);
  if (fileRows) expect(failedRows).toEqual(fileRows.filter((r) => r[3] === 'FAILED'));
  expect(failedRows.every((r) => r[3] === 'FAILED')).toBe(true);
  expect(summary.sessions.total).toBe(sessionRows.length);
  const warned = sessionRows.filter((row) => row[11] !== '').map((row) => row[0]!);
  expect(summary.warnings.map((w) => w.session_id).sort()).toEqual(warned.sort());
  expect(summary.files.total).toBe(sessionRows.reduce((sum, row) => sum + Number(row[7] || 0), 0));
  if (fileRows) {
    expect(summary.files.total).toBe(fileRows.length);
    expect(nonZero(summary.files.by_ingestion_status)).toEqual(tally(fileRows.map((r) => r[3]!)));
  }
  expect(summary.files.by_ingestion_status.FAILED ?? 0).toBe(failedRows.length);
}

/** Duplicates, lost files, files that never existed, statuses neither old nor new. */
function fileProblems(
  sessionId: string,
  rows: string[][],
  old = new Map<string, string>(),
  now = new Map<string, string>(),
): string[] {
  const problems: string[] = [];
  const ids = new Set(rows.map((r) => r[1]!));
  if (ids.size !== rows.length) problems.push(`session ${sessionId}: a file is listed twice`);
  for (const id of old.keys())
    if (now.has(id) && !ids.has(id)) problems.push(`lost file ${id} of ${sessionId}`);
  for (const [, id, , status] of rows) {
    if (!old.has(id!) && !now.has(id!)) problems.push(`unknown file ${id}`);
    else if (status !== old.get(id!) && status !== now.get(id!))
      problems.push(`file ${id}: status ${status}`);
  }
  return problems;
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const value of values) out[value] = (out[value] ?? 0) + 1;
  return out;
}

/** One way the data changes under a run. */
interface ChangeCase {
  name: string;
  workspace: string;
  mode?: ReportMode;
  /**
   * A known limit of the parallel page walk, asserted as failing so a fix shows up: a deletion
   * before a page boundary balanced by an insertion after it, between two page reads, keeps
   * every page's `total`, every page full and the distinct count equal to `total`, so nothing
   * tells the walk that an entry slid onto a page it had already read. Detecting it costs one
   * more request per page boundary, which would break the minimum request count (issue 5).
   */
  knownLimit?: true;
  /** Sets up the one-off mutation; returns its fired-flag. */
  arm(): { fired: boolean };
}

const CHANGES: ChangeCase[] = [
  {
    name: 'sessions inserted ahead of the page being read (the total grows)',
    workspace: MANY,
    arm: () =>
      mutateAt(2, isSessionsRequest, () => {
        const first = sortedSessions(sessions(MANY))[0]!;
        sessions(MANY).push(...[0, 1, 2].map(() => newSession(first, EARLIEST)));
      }),
  },
  {
    name: 'sessions deleted from a page already read (the total shrinks)',
    workspace: MANY,
    arm: () =>
      mutateAt(2, isSessionsRequest, () =>
        removeSessions(MANY, sortedSessions(sessions(MANY)).slice(10, 13)),
      ),
  },
  {
    name: 'a session deleted from a page already read and one added at the end (same total)',
    workspace: MANY,
    knownLimit: true,
    arm: () =>
      mutateAt(2, isSessionsRequest, () => {
        const sorted = sortedSessions(sessions(MANY));
        removeSessions(MANY, [sorted[10]!]);
        sessions(MANY).push(newSession(sorted[0]!, new Date().toISOString()));
      }),
  },
  {
    name: 'files inserted ahead of the page being read (the total grows)',
    workspace: BIG,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => {
        big.files.push(...[0, 1, 2, 3, 4].map(() => newFile(EARLIEST)));
      });
    },
  },
  {
    name: 'files deleted from a page already read (the total shrinks)',
    workspace: BIG,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => {
        const gone = new Set(sortedFiles(big.files).slice(20, 25));
        big.files = big.files.filter((f) => !gone.has(f));
      });
    },
  },
  {
    name: 'a file deleted from a page already read and one added at the end (same total)',
    workspace: BIG,
    knownLimit: true,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => {
        const gone = sortedFiles(big.files)[20]!;
        big.files = big.files.filter((f) => f !== gone);
        big.files.push(newFile(new Date().toISOString()));
      });
    },
  },
  {
    name: 'file statuses change between pages (mode full)',
    workspace: BIG,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => cycleStatuses(big));
    },
  },
  {
    name: 'file statuses change between the requests of mode summary',
    workspace: BIG,
    mode: 'summary',
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => cycleStatuses(big));
    },
  },
];

/** Every fourth file moves on: PENDING -> FINISHED -> FAILED -> PENDING. */
function cycleStatuses(session: EmulatorSession): void {
  session.files.forEach((file, index) => {
    if (index % 4 !== 0) return;
    const next = { PENDING: 'FINISHED', FINISHED: 'FAILED', FAILED: 'PENDING' }[file.ingestion_status];
    if (!next) return;
    file.ingestion_status = next;
    file.ingestion_status_reason = next === 'FAILED' ? 'EMPTY_FILE' : null;
  });
}

describe('data changing during a run: no duplicates, no lost rows, counts agree', () => {
  const check = async (change: ChangeCase) => {
    const before = snapshot(sessions(change.workspace));
    const trigger = change.arm();
    const mode = change.mode ?? 'full';
    const run = await runToFolder(emulator, change.workspace, { mode });
    expect(trigger.fired, 'the data changed during the run').toBe(true);
    await expectConsistent(run, before, snapshot(sessions(change.workspace)), mode);
  };
  it.each(CHANGES.filter((c) => !c.knownLimit))('$name', check);
  // Documented in docs/reliability.md ("Known limit"); see ChangeCase.knownLimit.
  it.fails.each(CHANGES.filter((c) => c.knownLimit))('known limit: $name', check);
});

describe('a session vanishing mid-run is a warning, and the run completes', () => {
  it('deleted after it was listed, before its files were read', async () => {
    const listedAs = structuredClone(sessions(MANY));
    const gone = sortedSessions(listedAs)[42]!.session_id;
    const trigger = mutateAt(1, isFilesOf(gone), () =>
      removeSessions(MANY, [{ session_id: gone } as EmulatorSession]),
    );
    const run = await runToFolder(emulator, MANY);
    expect(trigger.fired).toBe(true);
    await expectExactly(run, truthOf(listedAs, new Set([gone])), listedAs.length);
    expect(run.summary!.warnings).toEqual([{ session_id: gone, code: 'SESSION_NOT_FOUND' }]);
  });

  it('deleted between two pages of its files: none of its rows are kept', async () => {
    const listedAs = structuredClone(sessions(BIG));
    const big = biggest();
    const trigger = mutateAt(2, isFilesOf(big.session_id), () => removeSessions(BIG, [big]));
    const run = await runToFolder(emulator, BIG);
    expect(trigger.fired).toBe(true);
    await expectExactly(run, truthOf(listedAs, new Set([big.session_id])), listedAs.length);
    expect(run.summary!.warnings).toEqual([{ session_id: big.session_id, code: 'SESSION_NOT_FOUND' }]);
  });
});
