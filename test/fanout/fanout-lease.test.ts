/**
 * The fan-out workflow under the workspace's run lease, its handlers driven the way the state
 * machine drives them (Step Functions itself runs only on AWS; handlers.test.ts has the
 * shapes), against the emulator and s3rver: Plan claims the run (or adopts the claim of whoever
 * started the execution), the workers keep the lease alive, Finish and RecordFailure write the
 * final status.json and let the lease go; a run that loses its lease publishes nothing.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFinalizeHandler } from '../../functions/fanout/finalize/finalize-handler';
import { createPlanHandler } from '../../functions/fanout/plan/plan-handler';
import { createWorkerHandler } from '../../functions/fanout/worker/worker-handler';
import { UploadSessionsClient } from '../../lib/api';
import { FANOUT_LEASE_TTL_MS, withFanoutLease } from '../../lib/fanout/fanout-lease';
import { finalizeFanout } from '../../lib/fanout/finalize';
import { countsKey, errorKey } from '../../lib/fanout/layout';
import { ManifestBatch } from '../../lib/fanout/manifest';
import { runBatch } from '../../lib/fanout/worker';
import type { ReportFailedError } from '../../lib/report/failure';
import { readLatest } from '../../lib/report/latest-pointer';
import { runPrefix } from '../../lib/report/layout';
import { claimRun, leaseLostError, RunInProgressError } from '../../lib/report/leased-run';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { readRunStatus, readStatusFile } from '../../lib/report/run-status';
import { readLease } from '../../lib/store/lease';
import { S3Store } from '../../lib/store/s3-store';
import { resetFaults } from '../api/emulator-fixture';
import { stubAwsEnv } from '../nightly/nightly-fixture';
import { API_KEY, type FanoutFixture, startFanoutFixture, WORKSPACE } from './fixture';

let f: FanoutFixture;
let store: S3Store;
let handlers: {
  plan: ReturnType<typeof createPlanHandler>;
  worker: ReturnType<typeof createWorkerHandler>;
  finalize: ReturnType<typeof createFinalizeHandler>;
};

beforeAll(async () => {
  f = await startFanoutFixture({ longSessions: 0 });
  store = new S3Store({ client: f.s3.client, bucket: f.s3.bucket, prefix: 'reports/' });
  stubAwsEnv();
  const env = f.lambdaEnv;
  handlers = {
    plan: createPlanHandler({ env }),
    worker: createWorkerHandler({ env }),
    finalize: createFinalizeHandler({ env }),
  };
});
afterEach(() => resetFaults(f.emulator));
afterAll(async () => {
  vi.unstubAllEnvs();
  await f?.close();
});

type State = Awaited<ReturnType<typeof handlers.plan>>;

async function items(state: State): Promise<unknown[]> {
  const object = await f.s3.client.send(
    new GetObjectCommand({ Bucket: state.bucket, Key: state.manifestKey }),
  );
  return JSON.parse(await object.Body!.transformToString()) as unknown[];
}

function workerEvent(state: State, item: unknown, index: number) {
  const { workspace, runId, mode, bucket, manifestKey } = state;
  return { workspace, runId, mode, bucket, manifestKey, batchIndex: index, batch: item };
}

/** The map: every batch's worker, in turn; the rejections of those that failed. */
async function fanOut(state: State): Promise<unknown[]> {
  const failures: unknown[] = [];
  for (const [index, item] of (await items(state)).entries()) {
    await handlers.worker(workerEvent(state, item, index)).catch((error: unknown) => failures.push(error));
  }
  return failures;
}

const leaseOf = () => readLease(store, runLeaseKey(WORKSPACE));
const statusOf = (runId: string) => readStatusFile(store, runPrefix(WORKSPACE, runId));

/** Another run takes the workspace (what a takeover after an expiry leaves). */
async function takeOverLease(): Promise<string> {
  const other = newRunId();
  const lease = JSON.stringify({ holder: other, expires_at: new Date(Date.now() + 60_000).toISOString() });
  await store.write(runLeaseKey(WORKSPACE), lease, { contentType: 'application/json' });
  return other;
}

describe('a fan-out run', () => {
  it('holds the lease from Plan to Finish: a second run is refused meanwhile, then it is free', async () => {
    const runId = newRunId();
    const planned = Date.now();
    const state = await handlers.plan({ workspace: WORKSPACE, runId, mode: 'summary' });
    const lease = await leaseOf();
    expect(lease?.holder).toBe(runId);
    expect(lease!.expiresAt.getTime()).toBeGreaterThanOrEqual(planned + FANOUT_LEASE_TTL_MS);
    expect(await statusOf(runId)).toMatchObject({
      status: 'running',
      progress: { sessions_total: state.sessions },
    });
    const refused = await claimRun({ store, workspace: WORKSPACE, mode: 'full' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RunInProgressError);
    expect((refused as RunInProgressError).runId).toBe(runId);

    expect(await fanOut(state)).toEqual([]);
    const refreshed = await leaseOf();
    expect(refreshed?.holder).toBe(runId);
    expect(refreshed!.expiresAt.getTime(), 'the workers refreshed it').toBeGreaterThan(
      lease!.expiresAt.getTime(),
    );
    expect(await readRunStatus(store, WORKSPACE, runId, runPrefix(WORKSPACE, runId))).toMatchObject({
      status: 'running',
    });

    const outcome = await handlers.finalize(state);
    expect(outcome).toMatchObject({ complete: true, latest: 'updated' });
    const status = await statusOf(runId);
    expect(status).toMatchObject({ status: 'complete', summary: { run_id: runId, complete: true } });
    expect(status?.progress).toMatchObject({ sessions_done: state.sessions, sessions_total: state.sessions });
    expect(await leaseOf()).toMatchObject({ holder: runId, released: true });
    // A retried Finish (its answer lost) finds the lease let go and finishes the same, not LEASE_LOST.
    expect(await handlers.finalize(state)).toMatchObject({ complete: true });
    expect((await statusOf(runId))?.status).toBe('complete');
    const next = await claimRun({ store, workspace: WORKSPACE, mode: 'summary' });
    await next.abandon({ code: 'INTERNAL', message: 'the test only needed the lease' });
  });

  it('adopts the claim of whoever started it (same run ID), and RecordFailure lets it go', async () => {
    const claimed = await claimRun({ store, workspace: WORKSPACE, mode: 'summary' });
    const state = await handlers.plan({ workspace: WORKSPACE, runId: claimed.runId, mode: 'summary' });
    expect(state.runId).toBe(claimed.runId);
    const failure = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'a batch failed' };
    const outcome = await handlers.finalize({ ...state, failure });
    expect(outcome.complete).toBe(false);
    expect(await statusOf(claimed.runId)).toMatchObject({ status: 'failed', error: outcome.error });
    expect(await leaseOf()).toMatchObject({ holder: claimed.runId, released: true });
  });

  it('whose lease another run took: workers and Finish fail LEASE_LOST, nothing is published', async () => {
    const latestBefore = await readLatest(store, WORKSPACE);
    const state = await handlers.plan({ workspace: WORKSPACE, runId: newRunId(), mode: 'summary' });
    const other = await takeOverLease();
    const failures = await fanOut(state);
    expect(failures.length).toBe(state.batches);
    expect((failures[0] as ReportFailedError).failure.code).toBe('LEASE_LOST');
    const prefix = runPrefix(WORKSPACE, state.runId);
    expect(JSON.parse((await store.read(errorKey(prefix, 0)))!.body)).toMatchObject({ code: 'LEASE_LOST' });

    // The map gave up: RecordFailure names the batch's reason, and leaves the other run's lease.
    const outcome = await handlers.finalize({
      ...state,
      failure: { Error: 'States.ExceedToleratedFailureThreshold' },
    });
    expect(outcome.error?.code).toBe('LEASE_LOST');
    expect(await statusOf(state.runId)).toMatchObject({ status: 'failed', error: { code: 'LEASE_LOST' } });
    expect((await leaseOf())?.holder).toBe(other);
    expect(await readLatest(store, WORKSPACE)).toEqual(latestBefore);
    await store.remove([runLeaseKey(WORKSPACE)]);
  });

  it('that loses its lease after every batch finished: Finish publishes nothing (LEASE_LOST)', async () => {
    const latestBefore = await readLatest(store, WORKSPACE);
    const state = await handlers.plan({ workspace: WORKSPACE, runId: newRunId(), mode: 'summary' });
    expect(await fanOut(state)).toEqual([]);
    const other = await takeOverLease();
    await expect(handlers.finalize(state)).rejects.toMatchObject({ failure: { code: 'LEASE_LOST' } });
    expect(await readLatest(store, WORKSPACE)).toEqual(latestBefore);
    expect(await statusOf(state.runId)).toMatchObject({ status: 'failed', error: { code: 'LEASE_LOST' } });
    expect((await leaseOf())?.holder).toBe(other);
    await store.remove([runLeaseKey(WORKSPACE)]);
  });

  it('is refused at Plan while another run holds the workspace; RecordFailure says so', async () => {
    const going = await claimRun({ store, workspace: WORKSPACE, mode: 'full' });
    const runId = newRunId();
    const input = { workspace: WORKSPACE, runId, mode: 'summary' as const };
    await expect(handlers.plan(input)).rejects.toMatchObject({ failure: { code: 'LEASE_LOST' } });
    const outcome = await handlers.finalize({ ...input, failure: { Error: 'ReportFailedError' } });
    expect(outcome.error).toMatchObject({
      code: 'LEASE_LOST',
      message: expect.stringContaining(going.runId),
    });
    expect(await statusOf(runId)).toMatchObject({ status: 'failed', error: { code: 'LEASE_LOST' } });
    expect((await leaseOf())?.holder, 'the running run keeps its lease').toBe(going.runId);
    await going.abandon({ code: 'INTERNAL', message: 'the test is done with it' });
  });
});

describe('a worker whose run loses the lease mid-batch', () => {
  it('stops: no request after the loss, no counts written, LEASE_LOST recorded', async () => {
    const state = await handlers.plan({ workspace: WORKSPACE, runId: newRunId(), mode: 'full' });
    const [item] = await items(state);
    const batch = ManifestBatch.parse(item);
    const prefix = runPrefix(WORKSPACE, state.runId);
    const client = new UploadSessionsClient({ baseUrl: f.emulator.url, apiKey: API_KEY, concurrency: 2 });
    f.emulator.faults.latencyMs = 60;
    let atLoss: number | undefined;
    const ref = { store, workspace: WORKSPACE, runId: state.runId, mode: state.mode };
    const running = withFanoutLease(
      ref,
      (signal) => {
        signal.addEventListener('abort', () => {
          atLoss = client.stats.requests;
        });
        return runBatch({ client, store, prefix, workspace: WORKSPACE, mode: 'full', batch, signal });
      },
      { ttlMs: 600 },
    ).catch((error: unknown) => error);
    while (client.stats.requests < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await takeOverLease();
    const error = await running;
    expect((error as ReportFailedError).failure.code).toBe('LEASE_LOST');
    expect(client.stats.requests).toBe(atLoss);
    expect(await store.read(countsKey(prefix, batch.index))).toBeUndefined();
    expect(JSON.parse((await store.read(errorKey(prefix, batch.index)))!.body)).toMatchObject({
      code: 'LEASE_LOST',
    });
    await store.remove([runLeaseKey(WORKSPACE)]);
  });
});

describe('Finish whose run loses the lease while it assembles the report', () => {
  it('publishes nothing: the CSVs go, summary.json says LEASE_LOST, latest.json stays', async () => {
    const latestBefore = await readLatest(store, WORKSPACE);
    const state = await handlers.plan({ workspace: WORKSPACE, runId: newRunId(), mode: 'summary' });
    expect(await fanOut(state)).toEqual([]);
    const prefix = runPrefix(WORKSPACE, state.runId);
    // Lost before latest.json would move: the keeper aborted the signal Finish was given.
    const lost = new AbortController();
    lost.abort(leaseLostError(WORKSPACE, 'taken'));
    const finishing = finalizeFanout({
      store,
      prefix,
      plan: state,
      publishLatest: true,
      signal: lost.signal,
    });
    await expect(finishing).rejects.toMatchObject({ failure: { code: 'LEASE_LOST' } });
    expect(await readLatest(store, WORKSPACE)).toEqual(latestBefore);
    expect(await store.list(prefix)).toEqual([`${prefix}status.json`, `${prefix}summary.json`]);
    expect(JSON.parse((await store.read(`${prefix}summary.json`))!.body)).toMatchObject({
      complete: false,
      error: { code: 'LEASE_LOST' },
    });
    await store.remove([runLeaseKey(WORKSPACE)]);
  });
});
