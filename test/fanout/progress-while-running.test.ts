/**
 * A fan-out run's progress while its workers run, read the way the dashboard's "Run now" bar
 * reads it: through the HTTP app's run status route. The workflow's own handlers are driven
 * as the state machine drives them (Step Functions is AWS-only), against the emulator over
 * HTTP and s3rver through the real AWS SDK. Between workers, within a batch, and across a
 * batch's retry, sessions_done, files_seen and requests only rise, and at Finish they are the
 * summary's.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { createFinalizeHandler } from '../../functions/fanout/finalize/finalize-handler';
import { createPlanHandler } from '../../functions/fanout/plan/plan-handler';
import { createWorkerHandler } from '../../functions/fanout/worker/worker-handler';
import { createHttpApp } from '../../functions/http/app';
import { BatchCounts } from '../../lib/fanout/batch-counts';
import { countsKey } from '../../lib/fanout/layout';
import { ManifestBatch } from '../../lib/fanout/manifest';
import { runBatch } from '../../lib/fanout/worker';
import { runPrefix } from '../../lib/report/layout';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { readLease } from '../../lib/store/lease';
import { resetFaults } from '../reliability/report-fixture';
import { STACK_PREFIX, type Stack, stackEnv, startStack, stubAwsEnv } from '../reliability/stack-fixture';
import { capturedCliIo } from '../support/captured-io';

let stack: Stack;
let app: ReturnType<typeof createHttpApp>;
let handlers: {
  plan: ReturnType<typeof createPlanHandler>;
  worker: ReturnType<typeof createWorkerHandler>;
  finalize: ReturnType<typeof createFinalizeHandler>;
};

beforeAll(async () => {
  stack = await startStack('fanout-progress-key-3a9d', {
    emulator: { sessions: 24, maxFiles: 300 },
    workspaces: ['watched', 'retried'],
  });
  // The SDK clients the handlers and the CLI build read these from process.env, as on Lambda.
  stubAwsEnv(stack);
  const env = stackEnv(stack, { FANOUT_BATCH_FILES: '600' });
  handlers = {
    plan: createPlanHandler({ env }),
    worker: createWorkerHandler({ env }),
    finalize: createFinalizeHandler({ env }),
  };
  const logger = { info: () => {}, error: () => {} };
  app = createHttpApp({ store: stack.store, createClient: async () => stack.client(), logger });
});
afterEach(() => resetFaults(stack.emulator));
afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.close();
});

type State = Awaited<ReturnType<typeof handlers.plan>>;
interface Progress {
  sessions_done: number;
  sessions_total: number | null;
  files_seen: number;
  requests: number;
}
interface Status {
  status: string;
  progress: Progress;
  summary?: { sessions: { total: number }; files: { total: number }; api_requests: number };
}

/** GET /workspaces/:ws/reports/:run, as the dashboard polls it. */
async function statusOf(state: State): Promise<Status> {
  const response = await app.request(`/workspaces/${state.workspace}/reports/${state.runId}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

async function items(state: State): Promise<unknown[]> {
  const object = await stack.s3.client.send(
    new GetObjectCommand({ Bucket: state.bucket, Key: state.manifestKey }),
  );
  return JSON.parse(await object.Body!.transformToString()) as unknown[];
}

function workerEvent(state: State, item: unknown, batchIndex: number) {
  const { workspace, runId, mode, bucket, manifestKey } = state;
  return { workspace, runId, mode, bucket, manifestKey, batchIndex, batch: item };
}

const COUNTS = ['sessions_done', 'files_seen', 'requests'] as const;

/** Every count of every read at least the one before. */
function expectNeverBack(reads: readonly Progress[]): void {
  for (let i = 1; i < reads.length; i++) {
    for (const count of COUNTS) {
      expect(reads[i]![count], `${count} at read ${i}`).toBeGreaterThanOrEqual(reads[i - 1]![count]);
    }
  }
}

/** The complete run's progress is its summary's, and no lower than any read before it. */
function expectEndsAtSummary(final: Status, reads: readonly Progress[]): void {
  expect(final.status).toBe('complete');
  const { summary } = final;
  expect(final.progress).toEqual({
    sessions_total: summary!.sessions.total,
    sessions_done: summary!.sessions.total,
    files_seen: summary!.files.total,
    requests: summary!.api_requests,
  });
  expectNeverBack([...reads, final.progress]);
}

describe('a running fan-out run', () => {
  it('shows its workers progress between them: it rises, never falls, and ends at the summary', async () => {
    const state = await handlers.plan({ workspace: 'watched', runId: newRunId(), mode: 'full' });
    expect(state.batches).toBeGreaterThanOrEqual(3);
    const planned = await statusOf(state);
    expect(planned).toMatchObject({
      status: 'running',
      progress: {
        sessions_total: state.sessions,
        sessions_done: 0,
        files_seen: 0,
        requests: state.apiRequests,
      },
    });
    const reads = [planned.progress];
    for (const [index, item] of (await items(state)).entries()) {
      await handlers.worker(workerEvent(state, item, index));
      const read = await statusOf(state);
      expect(read.status).toBe('running');
      const before = reads.at(-1)!;
      expect(read.progress.sessions_done).toBeGreaterThan(before.sessions_done);
      expect(read.progress.files_seen).toBeGreaterThan(before.files_seen);
      expect(read.progress.requests).toBeGreaterThan(before.requests);
      reads.push(read.progress);
    }
    expect(reads.at(-1)!.sessions_done).toBe(state.sessions);

    await handlers.finalize(state);
    const final = await statusOf(state);
    expectEndsAtSummary(final, reads);
    // Every worker's last progress is its share of the summary: the last read before Finish was it.
    expect(reads.at(-1)).toEqual(final.progress);
    expect(await stack.store.list(`${runPrefix(state.workspace, state.runId)}fanout/`)).toEqual([]);
  });

  it('moves while a batch runs, and not back when the batch is retried from the start', async () => {
    const state = await handlers.plan({ workspace: 'retried', runId: newRunId(), mode: 'full' });
    const manifest = await items(state);
    // The batch of most sessions, so there is a midway to see.
    const batch = manifest
      .map((item) => ManifestBatch.parse(item))
      .reduce((a, b) => (b.sessions.length > a.sessions.length ? b : a));
    expect(batch.sessions.length).toBeGreaterThanOrEqual(3);
    const prefix = runPrefix(state.workspace, state.runId);
    stack.emulator.faults.latencyMs = 120;
    const reads: Progress[] = [(await statusOf(state)).progress];
    const start = reads[0]!;
    const attempt = (signal?: AbortSignal) => {
      const client = stack.client({ concurrency: 1 });
      const run = runBatch({
        client,
        store: stack.store,
        prefix,
        workspace: state.workspace,
        mode: 'full',
        batch,
        signal,
        progressIntervalMs: 50,
      });
      return {
        client,
        done: run.then(
          () => true,
          () => false,
        ),
      };
    };
    /** Reads the status until `done` settles, or until a read passes `stopWhen`. */
    const pollUntil = async (done: Promise<boolean>, stopWhen?: (p: Progress) => boolean) => {
      let settled = false;
      void done.then(() => {
        settled = true;
      });
      while (!settled) {
        const read = (await statusOf(state)).progress;
        reads.push(read);
        if (stopWhen?.(read)) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    // The first attempt dies half way (as a Lambda that timed out).
    const stop = new AbortController();
    const first = attempt(stop.signal);
    await pollUntil(first.done, (p) => p.sessions_done > start.sessions_done);
    const midway = reads.at(-1)!;
    expect(midway.sessions_done, 'seen while the batch ran').toBeLessThan(
      start.sessions_done + batch.sessions.length,
    );
    stop.abort(new Error('the attempt timed out'));
    expect(await first.done).toBe(false);

    // Its retry starts again from zero; the status stays where the first attempt got, then rises.
    const retry = attempt();
    await pollUntil(retry.done);
    expect(await retry.done).toBe(true);
    reads.push((await statusOf(state)).progress);
    expectNeverBack(reads);
    const counts = BatchCounts.parse(
      JSON.parse((await stack.store.read(countsKey(prefix, batch.index)))!.body),
    );
    expect(counts.api_requests, 'both attempts’ requests').toBe(
      first.client.stats.requests + retry.client.stats.requests,
    );
    expect(reads.at(-1)!.sessions_done).toBe(start.sessions_done + batch.sessions.length);

    for (const [index, item] of manifest.entries()) {
      if (index !== batch.index) await handlers.worker(workerEvent(state, item, index));
      reads.push((await statusOf(state)).progress);
    }
    await handlers.finalize(state);
    expectEndsAtSummary(await statusOf(state), reads);
  });

  it('run by the CLI (--fanout into s3://): the same, from the same progress objects', async () => {
    stack.emulator.faults.latencyMs = 40;
    const holderBefore = await leaseHolder('watched');
    const { io } = capturedCliIo();
    const argv = ['-w', 'watched', '--out', `s3://${stack.s3.bucket}/${STACK_PREFIX}`, '--quiet', '--fanout'];
    let ended = false;
    const running = runCli([...argv, '--batch-files', '600'], stackEnv(stack), io).finally(() => {
      ended = true;
    });
    let runId = holderBefore;
    while (runId === holderBefore && !ended) runId = await leaseHolder('watched');
    const state = { workspace: 'watched', runId: runId! } as State;
    const reads: Progress[] = [];
    while (!ended) {
      // The lease names the run a moment before its status.json exists.
      const response = await app.request(`/workspaces/watched/reports/${runId}`);
      const read = response.status === 404 ? undefined : ((await response.json()) as Status);
      if (read?.status === 'running') reads.push(read.progress);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(await running).toBe(0);
    const midway = reads.filter((p) => p.sessions_done > 0 && p.sessions_done < p.sessions_total!);
    expect(midway.length, 'reads while the batches ran').toBeGreaterThan(0);
    expectEndsAtSummary(await statusOf(state), reads);
  });
});

async function leaseHolder(workspace: string): Promise<string | undefined> {
  return (await readLease(stack.store, runLeaseKey(workspace)))?.holder;
}
