/**
 * Links to a run's files: this API's own download route (stable, answers 302 to a fresh
 * presigned URL) and a presigned S3 URL (works without AWS credentials, dies within 15 min).
 */
import { REPORT_FILES } from '../../lib/report/columns';
import { CSV_CONTENT_TYPE, JSON_CONTENT_TYPE } from '../../lib/store/content';
import type { ReportStore } from '../../lib/store/store';
import type { RunLinks } from './responses';

/** How long presigned URLs handed out in JSON live: the longest allowed (15 minutes). */
export const LINK_PRESIGN_SECONDS = 900;
/** How long the URL of a 302 lives: the browser follows it at once. */
export const REDIRECT_PRESIGN_SECONDS = 300;

/** A run's location in this API. */
export interface RunRef {
  workspace: string;
  runId: string;
}

/** The API paths of a run and of its workspace (no origin). */
export const paths = {
  run: ({ workspace, runId }: RunRef) => `/workspaces/${workspace}/reports/${runId}`,
  file: (ref: RunRef, file: string) => `${paths.run(ref)}/${file}`,
  dashboard: (workspace: string) => `/workspaces/${workspace}/dashboard`,
};

/** What the browser is told about a downloaded file: `<workspace>-<run_id>-<file>`, CSV or JSON. */
export function downloadOptions(ref: RunRef, file: string, expiresInSeconds: number) {
  return {
    expiresInSeconds,
    downloadName: `${ref.workspace}-${ref.runId}-${file}`,
    contentType: file === REPORT_FILES.summary ? JSON_CONTENT_TYPE : CSV_CONTENT_TYPE,
  };
}

/** Links for a run whose files are `keys` (store keys by file name); `origin` like `https://host`. */
export async function runLinks(
  store: ReportStore,
  origin: string,
  ref: RunRef,
  keys: Record<string, string>,
): Promise<RunLinks> {
  const expiresAt = new Date(Date.now() + LINK_PRESIGN_SECONDS * 1000);
  const entries = await Promise.all(
    Object.entries(keys).map(async ([file, key]) => {
      const presigned = await store.presign(key, downloadOptions(ref, file, LINK_PRESIGN_SECONDS));
      return [file, { download: origin + paths.file(ref, file), presigned }] as const;
    }),
  );
  return {
    self: origin + paths.run(ref),
    dashboard: origin + paths.dashboard(ref.workspace),
    files: Object.fromEntries(entries),
    presigned_expires_at: expiresAt.toISOString(),
  };
}
