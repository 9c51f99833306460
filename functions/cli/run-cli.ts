/**
 * The report CLI as a function of its arguments and environment, returning the exit code:
 * 0 only for a complete report (3 instead when it broke an alert rule and --fail-on-alert is
 * given); 1 when the run failed; 2 for bad flags or configuration,
 * found before any request is sent where they can be. Every failure ends in one clear line on
 * stderr; the API key is never printed. A folder output never mixes runs (./folder-output).
 */
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { UploadSessionsClient } from '../../lib/api';
import { type ClaimedRun, claimRun } from '../../lib/report/leased-run';
import type { PreviousRun } from '../../lib/report/previous-run';
import { newProgress } from '../../lib/report/progress';
import { type PlacedRun, publishReport, type ReportSettings, type RunLayout } from '../../lib/report/publish';
import { newRunId } from '../../lib/report/run-id';
import type { ReportSummary } from '../../lib/report/summary';
import { assertWorkspaceName } from '../../lib/report/workspace-name';
import type { ComposingStore } from '../../lib/store/store';
import { chooseApi } from '../shared/api-choice';
import { loadConfig } from '../shared/config';
import {
  checkDestination,
  type Destination,
  lazyS3ClientFromEnv,
  parseDestination,
  storeFor,
} from '../shared/destination';
import { EMBEDDED_WORKSPACE, type EmbeddedApi, startEmbeddedApi } from '../shared/embedded-api';
import { runLeaseFromEnv } from '../shared/run-lease-env';
import { type CliArgs, parseCliArgs, USAGE } from './args';
import { type CliAlerts, cliAlerts } from './cli-alerts';
import { CombinedStats } from './combined-stats';
import { failureLine } from './failure-line';
import { type FanoutReportOptions, fanoutReport, fanoutReportUnderLease } from './fanout-report';
import { checkReusableFolder, type FolderOutput, folderLocation, writeToFolder } from './folder-output';
import { explicitPrevious, folderPrevious } from './previous-run';
import { startProgressOutput } from './progress-bar';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

interface Plan {
  args: CliArgs;
  workspace: string;
  api: { url: string; apiKey: string } | 'embedded';
  /** undefined: a fresh folder per run, ./reports/<workspace>/<run_id>/. */
  destination: Destination | undefined;
  /** Where the destination came from, for messages: --out or REPORT_BUCKET. */
  destinationSource: string;
  concurrency: number;
  /** One S3 client per run, made (and the AWS SDK loaded) on first use. */
  s3: () => Promise<S3Client>;
  alerts: CliAlerts;
  /** --previous, once checked (undefined: the destination's own previous run). */
  previous?: PreviousRun;
  stuckAfterHours: number;
  /** RUN_LEASE_SECONDS, when set: the lease of a run into a store with history. */
  lease: { leaseTtlMs?: number };
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
    await checkPlannedDestination(plan);
  } catch (error) {
    io.stderr.write(`error: ${(error as Error).message}\n`);
    return 2;
  }
  let embedded: EmbeddedApi | undefined;
  try {
    embedded = plan.api === 'embedded' ? await startEmbeddedApi() : undefined;
    const api = embedded ?? (plan.api as { url: string; apiKey: string });
    const { line, summary } = await report(plan, api, io);
    io.stdout.write(`${line}\n`);
    return await plan.alerts(summary, io.stderr, plan.args.failOnAlert);
  } catch (error) {
    io.stderr.write(`error: ${failureLine(error)}\n`);
    return 1;
  } finally {
    await embedded?.close();
  }
}

function makePlan(args: CliArgs, env: NodeJS.ProcessEnv): Plan {
  const config = loadConfig(env);
  const api = chooseApi(config, args.apiUrl, 'the given URL');
  const embedded = api.kind === 'embedded';
  const workspace = args.workspace ?? (embedded ? EMBEDDED_WORKSPACE : undefined);
  if (workspace === undefined) throw new Error('--workspace is required');
  const destination = args.out
    ? parseDestination(args.out)
    : config.reportBucket
      ? { kind: 's3' as const, bucket: config.reportBucket, prefix: config.reportPrefix }
      : undefined;
  const newS3Client = lazyS3ClientFromEnv(env);
  let s3: Promise<S3Client> | undefined;
  return {
    args,
    workspace: assertWorkspaceName(workspace),
    api: api.kind === 'embedded' ? 'embedded' : { url: api.url, apiKey: api.apiKey },
    destination,
    destinationSource: args.out ? '--out' : 'REPORT_BUCKET',
    concurrency: args.concurrency ?? config.concurrency,
    stuckAfterHours: args.stuckAfterHours ?? config.stuckAfterHours,
    lease: runLeaseFromEnv(env),
    s3: () => {
      s3 ??= Promise.resolve(newS3Client());
      return s3;
    },
    alerts: cliAlerts(env),
  };
}

/** Configuration mistakes in the destination and --previous, found before any request is sent. */
async function checkPlannedDestination(plan: Plan): Promise<void> {
  plan.previous = await explicitPrevious(plan.args.previous, plan.workspace, plan.s3);
  if (plan.destination) {
    await checkDestination(plan.destination, plan.destinationSource, plan.s3);
    if (plan.destination.kind === 'folder') await checkReusableFolder(plan.destination.dir, '--out');
    return;
  }
  const defaultParent = join(process.cwd(), 'reports', plan.workspace);
  await checkDestination({ kind: 'folder', dir: defaultParent }, '--out (default ./reports/<workspace>/)');
}

/** Runs the report; returns the one-line result and the summary. */
async function report(
  plan: Plan,
  api: { url: string; apiKey: string },
  io: CliIo,
): Promise<{ line: string; summary: ReportSummary }> {
  const runId = newRunId();
  const { destination } = plan;
  if (destination?.kind === 's3') {
    const store = await storeFor(destination, plan.s3);
    const settings = { previous: plan.previous, stuckAfterHours: plan.stuckAfterHours };
    const run = await reportTo(plan, api, io, { runId, store, layout: 'dated', settings });
    return { line: resultLine(run.summary, `${store.location}${run.prefix}`), summary: run.summary };
  }
  const output: FolderOutput = destination
    ? { dir: destination.dir, fresh: false }
    : { dir: join(process.cwd(), 'reports', plan.workspace, runId), fresh: true };
  const previous = plan.previous ?? (await folderPrevious(output, plan.workspace));
  const settings = { previous, stuckAfterHours: plan.stuckAfterHours };
  return writeToFolder(output, runId, async (store) => {
    const run = await reportTo(plan, api, io, { runId, store, layout: 'folder', settings });
    return { line: resultLine(run.summary, folderLocation(output)), summary: run.summary };
  });
}

/** Where one run writes: an S3 destination holds every run (dated), a folder only this one. */
interface RunTarget {
  runId: string;
  store: ComposingStore;
  layout: RunLayout;
  /** The comparison and the stuck threshold. */
  settings: ReportSettings;
}

/** Runs the report into `target`, by one process or by fan-out. */
async function reportTo(
  plan: Plan,
  api: { url: string; apiKey: string },
  io: CliIo,
  target: RunTarget,
): Promise<PlacedRun> {
  if (target.layout === 'dated') return reportUnderLease(plan, api, io, target);
  if (plan.args.fanout) return reportByFanout(plan, api, io, target);
  const client = new UploadSessionsClient({
    baseUrl: api.url,
    apiKey: api.apiKey,
    concurrency: plan.concurrency,
  });
  const progress = newProgress();
  const bar = showProgress(plan) ? startProgressOutput(progress, client.stats, io.stderr) : undefined;
  try {
    return await publishReport({
      client,
      store: target.store,
      workspace: plan.workspace,
      mode: plan.args.mode,
      runId: target.runId,
      progress,
      layout: target.layout,
      ...target.settings,
    });
  } finally {
    bar?.stop();
  }
}

/**
 * A store with history (the dated layout) is shared with the HTTP API and the nightly job: the
 * run takes the workspace's lease like theirs, and keeps status.json. --force takes over the
 * lease of a run that died, never a live one.
 */
async function reportUnderLease(
  plan: Plan,
  api: { url: string; apiKey: string },
  io: CliIo,
  target: RunTarget,
): Promise<PlacedRun> {
  const { store, runId } = target;
  const { mode, force } = plan.args;
  const claimed = await claimRun({
    store,
    workspace: plan.workspace,
    mode,
    runId,
    takeOverExpired: force,
    settings: target.settings,
    ...plan.lease,
  });
  if (plan.args.fanout) return reportByFanout(plan, api, io, target, claimed);
  const client = new UploadSessionsClient({
    baseUrl: api.url,
    apiKey: api.apiKey,
    concurrency: plan.concurrency,
  });
  const bar = showProgress(plan) ? startProgressOutput(claimed.progress, client.stats, io.stderr) : undefined;
  try {
    return await claimed.run(client);
  } finally {
    bar?.stop();
  }
}

/** `--fanout`: plan, a worker per batch, finalize, in this process, under `claimed`'s lease if given. */
async function reportByFanout(
  plan: Plan,
  api: { url: string; apiKey: string },
  io: CliIo,
  target: RunTarget,
  claimed?: ClaimedRun,
): Promise<PlacedRun> {
  const progress = newProgress();
  const stats = new CombinedStats();
  const bar = showProgress(plan) ? startProgressOutput(progress, stats, io.stderr) : undefined;
  const run = (options: FanoutReportOptions) =>
    claimed ? fanoutReportUnderLease(claimed, options) : fanoutReport(options);
  try {
    return await run({
      api,
      store: target.store,
      layout: target.layout,
      workspace: plan.workspace,
      mode: plan.args.mode,
      runId: target.runId,
      concurrency: plan.concurrency,
      batchFiles: plan.args.batchFiles,
      progress,
      ...target.settings,
      onClient: (client) => stats.add(client.stats),
    });
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
