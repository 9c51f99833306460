/**
 * Four workspaces whose latest runs cover every case the new panels have, written into a store
 * through ./panel-runs, with the numbers worked out by hand from the rows below:
 * - `acme`: compared with the previous run over all files; 13 stuck sessions (more than the
 *   panel lists), and sessions that are not stuck (too young, or nothing pending).
 * - `beta`: a summary-mode run compared over failed files only; no session stuck.
 * - `gamma`: no baseline (`changes.unavailable`); one stuck session.
 * - `old`: a run written before comparisons and stuck counts (no `stuck` column either).
 */
import type { ChangeRow } from '../../lib/report/changes/columns';
import type { ReportSummary } from '../../lib/report/summary';
import type { ReportStore } from '../../lib/store/store';
import { filesOf, type SessionSpec, writePanelRun } from './panel-runs';

export const RUN_ID = '20261130T020000000Z-a1c3e5';
export const PREVIOUS_RUN_ID = '20261129T020000000Z-b2d4f6';
export const NO_BASELINE = 'no previous complete run of this workspace at this destination';
const HOUR = 3_600_000;
const RUN_START = Date.parse('2026-11-30T02:00:00.000Z');
const hoursBefore = (hours: number) => new Date(RUN_START - hours * HOUR).toISOString();

/** Pending files of acme's stuck sessions, in session order. */
export const ACME_STUCK_PENDING = [40, 7, 23, 15, 31, 2, 12, 9, 18, 5, 27, 3, 11];

function acmeSessions(): SessionSpec[] {
  const stuck = ACME_STUCK_PENDING.map(
    (pending, i): SessionSpec => ({
      id: `stuck-${String(i + 1).padStart(2, '0')}`,
      // The first is 3 d 1 h old at the run's start; the others a little younger each.
      createdBy: i === 1 ? ['@Ops', 'Bot'] : i === 4 ? ['Zoë', 'Müller'] : ['Ada', `Lovelace${i + 1}`],
      createdAt: hoursBefore(73 - i * 3),
      files: [...filesOf(pending, 'PENDING'), ...filesOf(1, 'FINISHED')],
    }),
  );
  return [
    // Pending, but only 2 hours old: not stuck, though it has the most pending files.
    { id: 'fresh', createdBy: ['Grace', 'Hopper'], createdAt: hoursBefore(2), files: filesOf(50, 'PENDING') },
    // Old, nothing pending: not stuck.
    {
      id: 'done',
      createdBy: ['Alan', 'Turing'],
      createdAt: hoursBefore(200),
      files: [...filesOf(10, 'FINISHED'), ...filesOf(3, 'FAILED', 'EMPTY_FILE')],
    },
    ...stuck,
  ];
}

const change = (
  n: number,
  previous: string | null,
  status: string | null,
  kind: ChangeRow['change'],
  reason: string | null = null,
): ChangeRow => ({
  session_id: 'done',
  file_ingestion_id: `f-${n}`,
  name: `file-${n}.pdf`,
  previous_status: previous,
  status,
  reason,
  change: kind,
});

/**
 * Newly failed 5 (EMPTY_FILE 4, VIRUS_DETECTED 1), finished 7 (PENDING->FINISHED 5,
 * FAILED->FINISHED 2), added 4, removed 2, status changed 11.
 */
export const ACME_CHANGES: ChangeRow[] = [
  ...[1, 2, 3].map((n) => change(n, 'PENDING', 'FAILED', 'status_changed', 'EMPTY_FILE')),
  change(4, 'PENDING', 'FAILED', 'status_changed', 'VIRUS_DETECTED'),
  ...[5, 6, 7, 8, 9].map((n) => change(n, 'PENDING', 'FINISHED', 'status_changed')),
  ...[10, 11].map((n) => change(n, 'FAILED', 'FINISHED', 'status_changed')),
  change(12, null, 'PENDING', 'added'),
  change(13, null, 'PENDING', 'added'),
  change(14, null, 'FINISHED', 'added'),
  change(15, null, 'FAILED', 'added', 'EMPTY_FILE'),
  change(16, 'FINISHED', null, 'removed'),
  change(17, 'PENDING', null, 'removed', null),
];

/** Failed files only: 2 newly failed (FILE_NOT_FOUND), 1 no longer failed. */
const BETA_CHANGES: ChangeRow[] = [
  change(21, null, 'FAILED', 'added', 'FILE_NOT_FOUND'),
  change(22, null, 'FAILED', 'added', 'FILE_NOT_FOUND'),
  change(23, 'FAILED', null, 'removed', 'EMPTY_FILE'),
];

/** Writes the four workspaces' latest runs; returns their summaries by workspace. */
export async function writePanelScenario(store: ReportStore): Promise<Record<string, ReportSummary>> {
  const plain = (id: string, hours: number, pending: number): SessionSpec => ({
    id,
    createdBy: ['Kay', 'Ng'],
    createdAt: hoursBefore(hours),
    files: [
      ...filesOf(pending, 'PENDING'),
      ...filesOf(4, 'FINISHED'),
      ...filesOf(1, 'FAILED', 'FILE_NOT_FOUND'),
    ],
  });
  return {
    acme: await writePanelRun(store, {
      workspace: 'acme',
      runId: RUN_ID,
      sessions: acmeSessions(),
      changes: { previousRunId: PREVIOUS_RUN_ID, scope: 'all', rows: ACME_CHANGES },
      stuckAfterHours: 24,
    }),
    beta: await writePanelRun(store, {
      workspace: 'beta',
      runId: RUN_ID,
      sessions: [plain('b-1', 30, 0), plain('b-2', 5, 6)],
      changes: { previousRunId: PREVIOUS_RUN_ID, scope: 'failed_only', rows: BETA_CHANGES },
      stuckAfterHours: 24,
    }),
    gamma: await writePanelRun(store, {
      workspace: 'gamma',
      runId: RUN_ID,
      sessions: [plain('g-1', 60, 8), plain('g-2', 10, 2)],
      changes: { unavailable: NO_BASELINE },
      stuckAfterHours: 48,
    }),
    old: await writePanelRun(store, {
      workspace: 'old',
      runId: RUN_ID,
      sessions: [plain('o-1', 300, 9)],
    }),
  };
}
