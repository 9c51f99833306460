/**
 * Opens the previous run a report compares itself with: a complete run folder in a store
 * (what latest.json pointed at before this run, or a folder named explicitly). Reads its
 * summary.json and sessions.csv (small) and opens its file rows as a stream, never whole.
 *
 * The scope is `all` only when both runs listed every file (mode full); otherwise only the
 * FAILED files can be compared, from failed_files.csv, which both modes write.
 */
import { parseStoredJson } from '../../store/content';
import type { ReportStore } from '../../store/store';
import { REPORT_FILES, type SESSION_COLUMNS } from '../columns';
import { csvRowBatches } from '../csv-stream';
import { readLatest } from '../latest-pointer';
import { type ReportMode, ReportSummary } from '../summary';
import type { ChangeScope } from './columns';
import type { Baseline, SessionRef } from './merge';
import { fileRows } from './records';

/** A baseline, or why there is none (for summary.json). */
export type BaselineResult = { baseline: Baseline } | { unavailable: string };

/** The run folder latest.json points at, before this run moves it; undefined for a first run. */
export async function latestRunPrefix(store: ReportStore, workspace: string): Promise<string | undefined> {
  return (await readLatest(store, workspace))?.prefix;
}

/**
 * The baseline in `store` under `prefix` (a run folder, '' or ending in '/'), for a run in
 * `mode`; when `workspace` is given, a run of another workspace is no baseline.
 */
export async function openBaseline(
  store: ReportStore,
  prefix: string,
  mode: ReportMode,
  workspace?: string,
): Promise<BaselineResult> {
  const checked = await readBaselineSummary(store, prefix, workspace);
  if ('unavailable' in checked) return checked;
  const { summary } = checked;
  const scope: ChangeScope = mode === 'full' && summary.mode === 'full' ? 'all' : 'failed_only';
  const folder = await openRunFolder(store, prefix, scope);
  return 'unavailable' in folder ? folder : { baseline: { runId: summary.run_id, scope, ...folder } };
}

/** The summary.json of a complete run under `prefix` (of `workspace`, when given), or why it is none. */
export async function readBaselineSummary(
  store: ReportStore,
  prefix: string,
  workspace?: string,
): Promise<{ summary: ReportSummary } | { unavailable: string }> {
  const where = `${store.location}${prefix}`;
  const stored = await store.read(prefix + REPORT_FILES.summary);
  if (!stored) return { unavailable: `no summary.json in ${where}` };
  const summary = parseStoredJson(ReportSummary, stored.body);
  if (!summary) return { unavailable: `${where}summary.json is not a report summary` };
  if (!summary.complete) return { unavailable: `previous run ${summary.run_id} is incomplete` };
  if (workspace !== undefined && summary.workspace !== workspace) {
    return { unavailable: `previous run ${summary.run_id} is of workspace "${summary.workspace}"` };
  }
  return { summary };
}

/**
 * A written run folder's sessions (sessions.csv, read whole: sessions are few) and its file
 * rows as a stream: files.csv for scope all, failed_files.csv for failed_only. Also how a run
 * already written (the fan-out's finalizer) feeds its own rows to the merge.
 */
export async function openRunFolder(
  store: ReportStore,
  prefix: string,
  scope: ChangeScope,
): Promise<Pick<Baseline, 'sessions' | 'rows' | 'close'> | { unavailable: string }> {
  const where = `${store.location}${prefix}`;
  const sessions = await readSessionRefs(store, prefix + REPORT_FILES.sessions, where);
  if (!sessions) return { unavailable: `no sessions.csv in ${where}` };
  const name = scope === 'all' ? REPORT_FILES.files : REPORT_FILES.failedFiles;
  const body = await store.readStream(prefix + name);
  if (!body) return { unavailable: `no ${name} in ${where}` };
  const close = () => (body as { destroy?: () => void }).destroy?.();
  return { sessions, rows: fileRows(body, `${where}${name}`), close };
}

/** sessions.csv as session references, found by column name (columns are only ever appended). */
async function readSessionRefs(
  store: ReportStore,
  key: string,
  where: string,
): Promise<SessionRef[] | undefined> {
  const body = await store.readStream(key);
  if (!body) return undefined;
  const source = `${where}${REPORT_FILES.sessions}`;
  const sessions: SessionRef[] = [];
  let columns: { id: number; createdAt: number; error: number } | undefined;
  for await (const batch of csvRowBatches(body)) {
    for (const row of batch) {
      if (!columns) {
        columns = columnIndexes(row, source);
        continue;
      }
      const error = row[columns.error] ?? '';
      sessions.push({
        session_id: row[columns.id] ?? '',
        created_at: row[columns.createdAt] ?? '',
        error: error || null,
      });
    }
  }
  return sessions;
}

function columnIndexes(header: string[], source: string) {
  const index = (name: (typeof SESSION_COLUMNS)[number]) => {
    const at = header.indexOf(name);
    if (at === -1) throw new Error(`${source}: no ${name} column`);
    return at;
  };
  return { id: index('session_id'), createdAt: index('created_at'), error: index('error') };
}
