/**
 * The report CLI as a function of its arguments and environment, returning the exit code:
 * 0 only for a complete report; 1 when the run failed; 2 for bad flags or configuration.
 * Every failure ends in one clear line on stderr; the API key is never printed.
 */
import { join } from 'node:path';
import { UploadSessionsClient } from '../../lib/api';
import { describeFailure } from '../../lib/report/failure';
import { newProgress } from '../../lib/report/progress';
import { publishReport } from '../../lib/report/publish';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportSummary } from '../../lib/report/summary';
import { assertWorkspaceName } from '../../lib/report/workspace-name';
import { loadConfig } from '../shared/config';
import { type Destination, parseDestination, storeFor } from '../shared/destination';
import { EMBEDDED_WORKSPACE, type EmbeddedApi, startEmbeddedApi } from '../shared/embedded-api';
import { type CliArgs, parseCliArgs, USAGE } from './args';
import { combinedStats, fanoutReport } from './fanout-report';
import { startProgressOutput } from './progress-bar';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

interface Plan {
  args: CliArgs;
  workspace: string;
  api: { url: string; apiKey: string } | 'embedded';
  destination: Destination | undefined;
  concurrency: number;
}

export async function runCli(argv: string[], env = process.env, io: CliIo = process): Promise<number> {
  let plan: Plan;
  try {
    const args = parseCliArgs(argv);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    plan = makePlan(args, env);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  let embedded: EmbeddedApi | undefined;
  try {
    embedded = plan.api === 'embedded' ? await startEmbeddedApi() : undefined;
    const api = embedded ?? (plan.api as { url: string; apiKey: string });
    const line = await report(plan, api, io);
    io.stdout.write(`${line}\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`error: ${describeFailure(error).message}\n`);
    return 1;
  } finally {
    await embedded?.close();
  }
}

function makePlan(args: CliArgs, env: NodeJS.ProcessEnv): Plan {
  const config = loadConfig(env);
  const apiUrl = args.apiUrl ?? config.apiUrl;
  const embedded = apiUrl === undefined && config.apiKey === undefined;
  if (!embedded && config.apiKey === undefined) {
    throw new Error('DEEPSET_API_KEY is not set: it is needed to call the API at the given URL');
  }
  const workspace = args.workspace ?? (embedded ? EMBEDDED_WORKSPACE : undefined);
  if (workspace === undefined) throw new Error('--workspace is required');
  const destination = args.out
    ? parseDestination(args.out)
    : config.reportBucket
      ? { kind: 's3' as const, bucket: config.reportBucket, prefix: config.reportPrefix }
      : undefined;
  return {
    args,
    workspace: assertWorkspaceName(workspace),
    api: embedded ? 'embedded' : { url: apiUrl!, apiKey: config.apiKey! },
    destination,
    concurrency: args.concurrency ?? config.concurrency,
  };
}

/** Runs the report; returns the one-line result. */
async function report(plan: Plan, api: { url: string; apiKey: string }, io: CliIo): Promise<string> {
  const runId = newRunId();
  const destination = plan.destination ?? {
    kind: 'folder' as const,
    dir: join(process.cwd(), 'reports', plan.workspace, runId),
  };
  if (plan.args.fanout) return reportByFanout(plan, api, io, { runId, destination });
  const client = new UploadSessionsClient({
    baseUrl: api.url,
    apiKey: api.apiKey,
    concurrency: plan.concurrency,
  });
  const progress = newProgress();
  const bar = showProgress(plan) ? startProgressOutput(progress, client.stats, io.stderr) : undefined;
  const store = storeFor(destination);
  const common = { client, workspace: plan.workspace, mode: plan.args.mode, runId, progress };
  try {
    if (destination.kind === 'folder') {
      const summary = await runReport({ ...common, target: { store, prefix: '' } });
      return resultLine(summary, store.location);
    }
    const published = await publishReport({ ...common, store });
    return resultLine(published.summary, `${store.location}${published.prefix}`);
  } finally {
    bar?.stop();
  }
}

/** `--fanout`: plan, a worker per batch, finalize, in this process (see ./fanout-report). */
async function reportByFanout(
  plan: Plan,
  api: { url: string; apiKey: string },
  io: CliIo,
  run: { runId: string; destination: Destination },
): Promise<string> {
  const progress = newProgress();
  const clients: UploadSessionsClient[] = [];
  const bar = showProgress(plan)
    ? startProgressOutput(progress, combinedStats(clients), io.stderr)
    : undefined;
  try {
    const { summary, location } = await fanoutReport(
      {
        api,
        destination: run.destination,
        workspace: plan.workspace,
        mode: plan.args.mode,
        runId: run.runId,
        concurrency: plan.concurrency,
        batchFiles: plan.args.batchFiles,
        progress,
      },
      clients,
    );
    return resultLine(summary, location);
  } finally {
    bar?.stop();
  }
}

/** A progress line on a TTY, and word of long retry waits anywhere, unless `--quiet`. */
const showProgress = (plan: Plan) => !plan.args.quiet;

export function resultLine(summary: ReportSummary, location: string): string {
  const n = (value: number) => value.toLocaleString('en');
  const files = summary.files;
  const warnings = summary.warnings.length
    ? `, ${summary.warnings.length} warning(s): ${[...new Set(summary.warnings.map((w) => w.code))].join(', ')}`
    : '';
  return (
    `complete: ${summary.workspace}, ${n(summary.sessions.total)} sessions, ${n(files.total)} files ` +
    `(${n(files.by_ingestion_status.FAILED ?? 0)} failed, ${n(files.by_ingestion_status.PENDING ?? 0)} pending), ` +
    `${n(summary.api_requests)} requests, ${n(summary.api_retries)} retries, ` +
    `${(summary.duration_ms / 1000).toFixed(1)} s${warnings} -> ${location}`
  );
}
