/**
 * What the home page and `GET /workspaces` show: every workspace the caller may read that has a
 * complete run (found from `<workspace>/latest.json` in the store), with that run's counts and
 * links, the highest failure rate first. A caller with per-workspace groups only costs a read
 * per named workspace; a reader of every workspace costs a listing of the store.
 */
import { readRun, type StoredRun } from '../../../lib/report/catalog';
import { REPORT_FILES } from '../../../lib/report/columns';
import { workspaceNameProblem } from '../../../lib/report/workspace-name';
import type { ReportStore } from '../../../lib/store/store';
import { may, READERS_GROUP, RUNNERS_GROUP, type User } from '../auth/user';
import { paths } from '../links';

export interface WorkspaceOverview {
  workspace: string;
  run_id: string;
  generated_at: string;
  files: number;
  failed: number;
  pending: number;
  /** failed / files, 0 for an empty workspace. */
  failure_rate: number;
  links: { dashboard: string; files: Record<string, string> };
}

/** CSVs first, in the order an analyst opens them. */
const FILE_ORDER = [
  REPORT_FILES.sessions,
  REPORT_FILES.failedFiles,
  REPORT_FILES.files,
  REPORT_FILES.changes,
  REPORT_FILES.summary,
];

/** The overviews `user` may see; `onDamaged` hears of a run that cannot be read (it is skipped). */
export async function workspaceOverviews(
  store: ReportStore,
  user: User,
  origin: string,
  onDamaged: (workspace: string, error: unknown) => void,
): Promise<WorkspaceOverview[]> {
  const names = (await candidateWorkspaces(store, user)).filter((name) => may(user, 'read', name));
  const runs = await Promise.all(
    names.map((workspace) =>
      readRun(store, workspace, 'latest').then(
        (run) => (run ? overview(workspace, run, origin) : undefined),
        (error: unknown) => {
          onDamaged(workspace, error);
          return undefined;
        },
      ),
    ),
  );
  return runs
    .filter((run): run is WorkspaceOverview => run !== undefined)
    .sort((a, b) => b.failure_rate - a.failure_rate || a.workspace.localeCompare(b.workspace));
}

async function candidateWorkspaces(store: ReportStore, user: User): Promise<string[]> {
  const everywhere =
    user.source === 'open' ||
    user.source === 'iam' ||
    user.groups.some((g) => g === READERS_GROUP || g === RUNNERS_GROUP);
  if (everywhere) return reportedWorkspaces(store);
  const named = user.groups
    .map((group) => /^reports-(?:readers|runners):(.+)$/.exec(group)?.[1])
    .filter((name): name is string => name !== undefined && workspaceNameProblem(name) === undefined);
  return [...new Set(named)];
}

/** Workspaces with a latest.json, from a listing of the whole store. */
export async function reportedWorkspaces(store: ReportStore): Promise<string[]> {
  const keys = await store.list('');
  return keys
    .map((key) => /^([^/]+)\/latest\.json$/.exec(key)?.[1])
    .filter((name): name is string => name !== undefined && workspaceNameProblem(name) === undefined);
}

function overview(workspace: string, run: StoredRun, origin: string): WorkspaceOverview {
  const { summary } = run;
  const status = summary.files.by_ingestion_status;
  const failed = status.FAILED ?? 0;
  const ref = { workspace, runId: run.runId };
  const files = FILE_ORDER.filter((file) => file in run.keys).map(
    (file) => [file, origin + paths.file(ref, file)] as const,
  );
  return {
    workspace,
    run_id: run.runId,
    generated_at: summary.generated_at,
    files: summary.files.total,
    failed,
    pending: status.PENDING ?? 0,
    failure_rate: summary.files.total === 0 ? 0 : failed / summary.files.total,
    links: { dashboard: origin + paths.dashboard(workspace), files: Object.fromEntries(files) },
  };
}
