/**
 * A run that holds its workspace's lease from start to end, and says how it goes in
 * status.json. `claimRun` takes the lease and writes "running" (so a caller can answer at once,
 * and a second caller is refused while the run lives); `ClaimedRun.run` then publishes the
 * report, refreshing the lease, and writes the outcome before it lets the lease go. A run that
 * loses its lease (taken over, or not refreshed in time) stops at once and fails LEASE_LOST,
 * publishing nothing. A process the run was handed to claims it again under the same run ID
 * and so adopts the lease.
 */
import type { UploadSessionsClient } from '../api';
import { acquireLease, type HeldLease } from '../store/lease';
import { keepLease, type LeaseLoss } from '../store/lease-keeper';
import type { ReportStore } from '../store/store';
import { describeFailure, type Failure, ReportFailedError } from './failure';
import { runPrefix } from './layout';
import { newProgress } from './progress';
import { type PublishedRun, publishReport, type ReportSettings } from './publish';
import { isRunId, newRunId } from './run-id';
import { runLeaseKey } from './run-lease-key';
import { readStatusFile } from './run-status';
import { StatusWriter } from './status-writer';
import type { ReportMode, ReportSummary } from './summary';

/** How long a lease lasts unrefreshed: a dead run blocks its workspace at most this long. */
export const LEASE_TTL_MS = 60_000;

/** Another run of the workspace holds the lease. */
export class RunInProgressError extends Error {
  override name = 'RunInProgressError';
  readonly code = 'RUN_IN_PROGRESS';
  constructor(
    readonly workspace: string,
    readonly runId: string,
    readonly expiresAt: Date,
    /** The lease expired: its run died (refused only when taking over was not allowed). */
    readonly expired = false,
  ) {
    super(
      expired
        ? `a run of workspace "${workspace}" (${runId}) stopped without finishing; its lease expired at ${expiresAt.toISOString()}: pass --force to take it over`
        : `a run of workspace "${workspace}" is in progress: ${runId}`,
    );
  }
}

/** The failure of a run that lost its lease: it stops, and publishes nothing. */
export function leaseLostError(workspace: string, why: LeaseLoss): ReportFailedError {
  const message =
    why === 'taken'
      ? `the run lost the lease of workspace "${workspace}": another run took it over`
      : `the run could not refresh the lease of workspace "${workspace}" before it expired`;
  return new ReportFailedError({ code: 'LEASE_LOST', message }, { cause: new Error(message) });
}

/**
 * Runs `work` while `lease` is kept alive (refreshed every third of `ttlMs`); `work`'s signal
 * aborts, with a LEASE_LOST `ReportFailedError`, once the lease is lost.
 */
export async function whileLeaseHeld<T>(
  lease: HeldLease,
  workspace: string,
  ttlMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  lost = new AbortController(),
): Promise<T> {
  const stop = keepLease(lease, {
    intervalMs: ttlMs / 3,
    onLost: (why) => lost.abort(leaseLostError(workspace, why)),
  });
  try {
    return await work(lost.signal);
  } finally {
    stop();
  }
}

export interface ClaimOptions {
  store: ReportStore;
  workspace: string;
  mode: ReportMode;
  /** Default: a new run ID. The ID of a claimed run adopts its lease. */
  runId?: string;
  leaseTtlMs?: number;
  statusIntervalMs?: number;
  /** false: a lease whose run died is not taken over (the CLI without --force). Default true. */
  takeOverExpired?: boolean;
  /** The run's comparison and stuck threshold (default: latest.json's run, 24 hours). */
  settings?: ReportSettings;
}

/** Takes the workspace's lease and marks the run running; throws RunInProgressError when held. */
export async function claimRun(options: ClaimOptions): Promise<ClaimedRun> {
  const runId = options.runId ?? newRunId();
  const ttlMs = options.leaseTtlMs ?? LEASE_TTL_MS;
  const { store, workspace } = options;
  // A run that wrote its outcome is over, even before it let the lease go.
  const holderDone = async (holder: string) => {
    if (!isRunId(holder)) return false;
    const status = await readStatusFile(store, runPrefix(workspace, holder));
    // No status yet: a run that has only just taken the lease.
    return status !== undefined && status.status !== 'running';
  };
  const { takeOverExpired } = options;
  const attempt = await acquireLease(store, runLeaseKey(workspace), runId, {
    ttlMs,
    holderDone,
    takeOverExpired,
  });
  if (!attempt.acquired) {
    const { holder, expiresAt } = attempt.heldBy;
    throw new RunInProgressError(workspace, holder, expiresAt, expiresAt <= new Date());
  }
  const claimed = new ClaimedRun(options, runId, attempt.lease, ttlMs);
  await claimed.status.markRunning();
  return claimed;
}

export class ClaimedRun {
  readonly prefix: string;
  readonly workspace: string;
  readonly mode: ReportMode;
  readonly progress = newProgress();
  readonly status: StatusWriter;
  readonly #lost = new AbortController();
  #requests = () => 0;

  constructor(
    private readonly options: ClaimOptions,
    readonly runId: string,
    readonly lease: HeldLease,
    private readonly ttlMs: number,
  ) {
    this.prefix = runPrefix(options.workspace, runId);
    this.workspace = options.workspace;
    this.mode = options.mode;
    this.status = new StatusWriter({
      store: options.store,
      prefix: this.prefix,
      workspace: options.workspace,
      runId,
      mode: options.mode,
      progress: this.progress,
      requests: () => this.#requests(),
      intervalMs: options.statusIntervalMs,
    });
  }

  /**
   * Publishes the report, writes the outcome to status.json, then frees the lease. A run that
   * loses its lease stops at once: no request after the loss, latest.json not moved, and it
   * ends failed with LEASE_LOST.
   */
  async run(client: UploadSessionsClient): Promise<PublishedRun> {
    this.#requests = () => client.stats.requests;
    const { store, workspace, mode } = this.options;
    let published: PublishedRun | undefined;
    await this.hold(async (signal) => {
      published = await publishReport({
        client,
        store,
        workspace,
        mode,
        runId: this.runId,
        progress: this.progress,
        signal,
        ...this.options.settings,
      });
      return published.summary;
    });
    return published!;
  }

  /**
   * Runs `publish` (which writes this run's folder and latest.json) under the lease, refreshing
   * it, then writes the outcome to status.json and frees the lease. `signal` aborts once the
   * lease is lost: `publish` must then stop and publish nothing.
   */
  async hold(publish: (signal: AbortSignal) => Promise<ReportSummary>): Promise<ReportSummary> {
    this.status.watch();
    try {
      const summary = await this.whileHeld(publish);
      await this.status.complete(summary);
      return summary;
    } catch (error) {
      await this.status.fail(error instanceof ReportFailedError ? error.failure : describeFailure(error));
      throw error;
    } finally {
      await this.lease.release().catch(() => {});
    }
  }

  /** Aborts (with a LEASE_LOST `ReportFailedError`) once the run lost its lease. */
  get leaseLost(): AbortSignal {
    return this.#lost.signal;
  }

  /** Runs `work` while the lease is kept alive; its signal is `leaseLost`. */
  whileHeld<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return whileLeaseHeld(this.lease, this.workspace, this.ttlMs, work, this.#lost);
  }

  /**
   * Hands the run to another process, which claims it under the same run ID and so adopts the
   * lease: extends the lease to `ttlMs` (time enough for that process to start), then `start`s
   * it. status.json stays "running"; this process writes no more of it.
   */
  async handOver(ttlMs: number, start: () => Promise<void>): Promise<void> {
    this.status.stop();
    if (!(await this.lease.refresh(ttlMs))) throw leaseLostError(this.workspace, 'taken');
    await start();
  }

  /** Gives the run up before it ran (e.g. it could not be handed over): failed, lease freed. */
  async abandon(error: Failure): Promise<void> {
    await this.status.fail(error);
    await this.lease.release().catch(() => {});
  }
}
