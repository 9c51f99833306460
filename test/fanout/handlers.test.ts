/**
 * The three Lambda handlers driven the way the state machine drives them (infra/report-workflow.ts):
 * Plan gets the execution input and returns the state; the Distributed Map reads the manifest
 * with GetObject(Bucket: $.bucket, Key: $.manifestKey) and gives each Worker the ItemSelector's
 * fields; Finish gets the plan's state; RecordFailure gets the failed step's state plus the
 * Catch's `failure`. Step Functions itself runs only on AWS: here the test plays its part, against
 * the emulator and s3rver with the functions' real environment variables.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFinalizeHandler } from '../../functions/fanout/finalize/finalize-handler';
import { createPlanHandler } from '../../functions/fanout/plan/plan-handler';
import { createWorkerHandler } from '../../functions/fanout/worker/worker-handler';
import { lambdaTelemetry } from '../../functions/shared/powertools';
import { readLatest } from '../../lib/report/latest-pointer';
import { runPrefix } from '../../lib/report/layout';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { ReportSummary } from '../../lib/report/summary';
import { S3Store } from '../../lib/store/s3-store';
import { captureOutput, fakeContext, stubAwsEnv } from '../nightly/nightly-fixture';
import { type FanoutFixture, startFanoutFixture, WORKSPACE } from './fixture';

let f: FanoutFixture;
let store: S3Store;
let planEnv: NodeJS.ProcessEnv;
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
  planEnv = env;
  handlers = {
    plan: createPlanHandler({ env }),
    worker: createWorkerHandler({ env }),
    finalize: createFinalizeHandler({ env }),
  };
});
// A test that plans without finishing leaves the workspace's lease held, as a live run would:
// each test starts with the workspace free (fanout-lease.test.ts tests the lease itself).
afterEach(() => store.remove([runLeaseKey(WORKSPACE)]));
afterAll(async () => {
  vi.unstubAllEnvs();
  await f?.close();
});

/** What the map's ItemReader does: the manifest object, a JSON array of items. */
async function readItems(bucket: string, key: string): Promise<unknown[]> {
  const object = await f.s3.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString()) as unknown[];
}

/** What the map's ItemSelector builds for item `index`. */
function itemInput(state: Record<string, unknown>, item: unknown, index: number) {
  const { workspace, runId, mode, bucket, manifestKey } = state;
  return { workspace, runId, mode, bucket, manifestKey, batchIndex: index, batch: item };
}

async function summaryOf(workspace: string, runId: string) {
  const stored = await store.read(`${runPrefix(workspace, runId)}summary.json`);
  return ReportSummary.parse(JSON.parse(stored!.body));
}

describe('Plan -> FanOut -> Finish', () => {
  it('publishes the report through the state shapes of the workflow', async () => {
    const runId = newRunId();
    const state = await handlers.plan({ workspace: WORKSPACE, runId, mode: 'summary' });
    expect(state).toMatchObject({
      workspace: WORKSPACE,
      runId,
      mode: 'summary',
      bucket: f.s3.bucket,
      manifestKey: `reports/${runPrefix(WORKSPACE, runId)}fanout/manifest.json`,
    });
    // The state stays small, however big the workspace: the batches live in S3.
    expect(JSON.stringify(state).length).toBeLessThan(1024);
    const items = await readItems(state.bucket, state.manifestKey);
    expect(items).toHaveLength(state.batches);
    expect(state.batches).toBeGreaterThanOrEqual(3);
    for (const [index, item] of items.entries()) {
      const receipt = await handlers.worker(itemInput(state, item, index));
      expect(receipt.batch).toBe(index);
    }
    const outcome = await handlers.finalize(state);
    expect(outcome).toMatchObject({ workspace: WORKSPACE, runId, complete: true, latest: 'updated' });
    expect((await readLatest(store, WORKSPACE))?.run_id).toBe(runId);
    const summary = await summaryOf(WORKSPACE, runId);
    expect(summary).toMatchObject({ complete: true, mode: 'summary', files: { total: outcome.files } });
    expect(summary.sessions.total).toBe(state.sessions);
  });

  it('makes its own run ID when the execution input has none', async () => {
    const state = await handlers.plan({ workspace: WORKSPACE });
    expect(state.runId).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    expect(state.mode).toBe('full');
  });
});

describe('RecordFailure', () => {
  it('after FanOut failed: an incomplete summary.json naming the unfinished batch, returned for the Fail state', async () => {
    const runId = newRunId();
    const state = await handlers.plan({ workspace: WORKSPACE, runId, mode: 'summary' });
    const items = await readItems(state.bucket, state.manifestKey);
    await handlers.worker(itemInput(state, items[0], 0));
    const failure = {
      Error: 'States.ExceedToleratedFailureThreshold',
      Cause: 'tolerated failure threshold exceeded',
    };
    const outcome = await handlers.finalize({ ...state, failure });
    expect(outcome).toEqual({
      workspace: WORKSPACE,
      runId,
      complete: false,
      prefix: runPrefix(WORKSPACE, runId),
      error: { code: 'BATCH_FAILED', message: expect.stringMatching(/^batch 00001 of \d+ did not finish/) },
    });
    expect(await summaryOf(WORKSPACE, runId)).toMatchObject({ complete: false, error: outcome.error });
  });

  it("after Plan failed: the plan's own reason (WORKSPACE_NOT_FOUND)", async () => {
    const runId = newRunId();
    const input = { workspace: 'nope', runId, mode: 'full' };
    await expect(handlers.plan(input)).rejects.toThrow(/workspace "nope" was not found/);
    const outcome = await handlers.finalize({
      ...input,
      failure: { Error: 'ReportFailedError', Cause: '{}' },
    });
    expect(outcome).toMatchObject({ complete: false, error: { code: 'WORKSPACE_NOT_FOUND' } });
    expect(await summaryOf('nope', runId)).toMatchObject({
      complete: false,
      error: { code: 'WORKSPACE_NOT_FOUND' },
    });
  });

  it('without a run ID (the plan failed before choosing one): the caught error, nothing written', async () => {
    const outcome = await handlers.finalize({ workspace: WORKSPACE, failure: { Error: 'Lambda.Unknown' } });
    expect(outcome).toEqual({
      workspace: WORKSPACE,
      complete: false,
      error: { code: 'WORKFLOW_FAILED', message: expect.stringContaining('Lambda.Unknown') },
    });
  });
});

describe('events', () => {
  it('are checked: a bad workspace, run ID or item fails the step with a message naming the field', async () => {
    await expect(handlers.plan({ workspace: '../etc' })).rejects.toThrow(/invalid Plan event: workspace/);
    await expect(handlers.plan({ workspace: WORKSPACE, runId: 'today' })).rejects.toThrow(/runId/);
    const state = await handlers.plan({ workspace: WORKSPACE, mode: 'summary' });
    const [item] = await readItems(state.bucket, state.manifestKey);
    await expect(handlers.worker(itemInput(state, item, 1))).rejects.toThrow(/item 1 holds batch 0/);
    await expect(handlers.worker({ ...itemInput(state, item, 0), batch: { index: 0 } })).rejects.toThrow(
      /invalid Worker event: batch/,
    );
  });
});

describe('logs', () => {
  it('carry the invocation’s Lambda context and the service, as every function’s do', async () => {
    const plan = createPlanHandler({ env: planEnv, ...lambdaTelemetry('fanout-plan') });
    const context = fakeContext();
    const output = captureOutput();
    try {
      await plan({ workspace: WORKSPACE, mode: 'summary' }, context);
    } finally {
      output.restore();
    }
    const planned = output.records().find((record) => record.message === 'fan-out planned');
    expect(planned).toMatchObject({
      service: 'fanout-plan',
      function_request_id: context.awsRequestId,
      function_name: context.functionName,
    });
  });
});
