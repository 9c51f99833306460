/**
 * A small typed client of the HTTP API, written the way another team's script would be: types
 * generated from `/openapi.json` by openapi-typescript (./api-types.ts), calls made by
 * openapi-fetch. The proof test type-checks it against freshly generated types and runs it
 * against a local server, so a change to the document that breaks such clients fails a test.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types';

export type ReportsClient = Client<paths>;

/** A run that was started: where to ask for its status. */
export interface StartedRun {
  runId: string;
  statusUrl: string;
}

/** What a caller polls for. */
export interface RunStatus {
  runId: string;
  status: 'running' | 'complete' | 'failed';
  sessionsDone: number;
  /** Why a failed run stopped. */
  error?: { code: string; message: string };
}

export function reportsClient(baseUrl: string, headers: Record<string, string> = {}): ReportsClient {
  return createClient<paths>({ baseUrl, headers });
}

/** One page of runs, newest first. */
export async function listRuns(client: ReportsClient, workspace: string, limit = 20) {
  const { data, error, response } = await client.GET('/workspaces/{workspace}/reports', {
    params: { path: { workspace }, query: { limit } },
  });
  if (!data) throw apiError(response, error);
  return data.items.map((run) => ({
    runId: run.run_id,
    complete: run.complete,
    generatedAt: run.generated_at,
  }));
}

/** Starts a run: the answer (202) comes at once, with the run's id and its status link. */
export async function startRun(
  client: ReportsClient,
  workspace: string,
  mode: 'full' | 'summary' = 'full',
): Promise<StartedRun> {
  const { data, error, response } = await client.POST('/workspaces/{workspace}/reports', {
    params: { path: { workspace }, query: { mode } },
  });
  if (!data) throw apiError(response, error);
  return { runId: data.run_id, statusUrl: data.links.self };
}

/** The status of run `runId` (or `latest`). */
export async function runStatus(client: ReportsClient, workspace: string, runId: string): Promise<RunStatus> {
  const { data, error, response } = await client.GET('/workspaces/{workspace}/reports/{run}', {
    params: { path: { workspace, run: runId } },
  });
  if (!data) throw apiError(response, error);
  return {
    runId: data.run_id,
    status: data.status,
    sessionsDone: data.progress.sessions_done,
    ...(data.error ? { error: data.error } : {}),
  };
}

function apiError(response: Response, error: unknown): Error {
  return new Error(`${response.url} answered ${response.status}: ${JSON.stringify(error)}`);
}
