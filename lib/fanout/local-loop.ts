/**
 * The fan-out without Step Functions: the same plan, worker and finalize functions the Lambdas
 * run, called in this process against the same store (`npm run report -- --fanout`, the tests).
 * Each step gets its own API client, as each Lambda invocation has, so the summary's request
 * counts add up the same way. Batches run a few at a time; after a failure no new batch starts
 * (the Distributed Map's 0 % tolerance), and the run is recorded as failed. A run stopped from
 * outside (`signal`: it lost its lease) stops at once: no request after it, no new batch, and
 * it fails with the signal's reason, publishing nothing.
 */
import type { UploadSessionsClient } from '../api';
import { describeFailure } from '../report/failure';
import type { PreviousRun } from '../report/previous-run';
import type { RunProgress } from '../report/progress';
import type { ReportMode } from '../report/summary';
import type { ComposingStore } from '../store/store';
import { type FinalizedRun, finalizeFanout, recordPlanFailure } from './finalize';
import { manifestKey } from './layout';
import { type BatchLimits, Manifest } from './manifest';
import { type FanoutPlan, planFanout } from './plan';
import { runBatch } from './worker';

/** Batches run at once unless told otherwise: they share the machine and the API. */
export const DEFAULT_LOCAL_WORKERS = 2;

export interface RunFanoutLocallyOptions {
  /** A fresh client per step (plan, each batch). */
  newClient: () => UploadSessionsClient;
  store: ComposingStore;
  /** The run folder ('' for a folder output, `runPrefix(...)` for the S3 layout). */
  prefix: string;
  workspace: string;
  runId: string;
  mode: ReportMode;
  /** Move latest.json when the run completes (S3 layout). */
  publishLatest: boolean;
  limits?: Partial<BatchLimits>;
  /** Batches at once (default 2). */
  workers?: number;
  progress?: RunProgress;
  /** The run changes.csv compares with (default: what latest.json points at before this run). */
  previous?: PreviousRun;
  /** A session with pending files older than this at the plan's start is stuck (default 24). */
  stuckAfterHours?: number;
  /** Stops the run (e.g. it lost its lease); its reason is the run's failure. */
  signal?: AbortSignal;
  /** Remove the scratch once complete (default true; false: the caller does, after its last status). */
  removeScratch?: boolean;
}

/**
 * Plan, every batch, finalize. Resolves with the finished run; rejects with a
 * `ReportFailedError` after writing the incomplete summary.json.
 *
 * @example
 * const run = await runFanoutLocally({ newClient, store, prefix: '', workspace: 'demo', runId, mode: 'full', publishLatest: false });
 */
export async function runFanoutLocally(options: RunFanoutLocallyOptions): Promise<FinalizedRun> {
  const { store, prefix, workspace, runId, mode } = options;
  let plan: FanoutPlan;
  try {
    plan = await planFanout({ ...options, client: options.newClient() });
  } catch (error) {
    return recordPlanFailure({ store, prefix, workspace, runId, mode, cause: error });
  }
  await runBatches(options, await readManifest(store, prefix));
  const { publishLatest, previous, removeScratch, signal } = options;
  const stopped = signal?.aborted ? describeFailure(signal.reason) : undefined;
  try {
    return await finalizeFanout({
      store,
      prefix,
      plan,
      publishLatest,
      ...(previous ? { previous } : {}),
      ...(removeScratch === undefined ? {} : { removeScratch }),
      ...(stopped ? { stopped } : {}),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    // The incomplete summary is written; the reason the run was stopped is its error.
    throw stopped ? signal!.reason : error;
  }
}

/** The manifest as the Distributed Map's ItemReader would read it. */
async function readManifest(store: ComposingStore, prefix: string): Promise<Manifest> {
  const stored = await store.read(manifestKey(prefix));
  if (!stored) throw new Error(`the manifest ${manifestKey(prefix)} is missing from ${store.location}`);
  return Manifest.parse(JSON.parse(stored.body));
}

/** Runs batches in lanes until all are done or one fails; failures are left for finalize to find. */
async function runBatches(options: RunFanoutLocallyOptions, manifest: Manifest): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && !options.signal?.aborted && next < manifest.length) {
      const batch = manifest[next++]!;
      try {
        await runBatch({ ...options, client: options.newClient(), batch });
      } catch {
        // runBatch left error-<batch>.json; finalize names the batch and the reason.
        failed = true;
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.workers ?? DEFAULT_LOCAL_WORKERS, manifest.length));
  await Promise.all(Array.from({ length: lanes }, lane));
}
