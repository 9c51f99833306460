/**
 * A run started over HTTP for a workspace above the fan-out threshold goes to the Step
 * Functions workflow, not the run function's own report: the POST claims it and answers 202,
 * the run function (handed the run through a local stand-in of Lambda's Invoke API) counts the
 * workspace's files as the nightly job does and starts an execution through the real
 * @aws-sdk/client-sfn against a local stand-in of the Step Functions JSON protocol. Step
 * Functions cannot run here (it is AWS-only): the stand-in records StartExecution, and the test
 * then drives the workflow's own handlers with the recorded input, as the state machine would.
 * Everything else is real: the emulator over HTTP, s3rver through the AWS SDK.
 */

import { Logger } from '@aws-lambda-powertools/logger';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFinalizeHandler } from '../../functions/fanout/finalize/finalize-handler';
import { createPlanHandler } from '../../functions/fanout/plan/plan-handler';
import { createWorkerHandler } from '../../functions/fanout/worker/worker-handler';
import { createHttpApp } from '../../functions/http/app';
import { lambdaRunLauncher } from '../../functions/http/lambda-run-launcher';
import { runDepsFromEnv } from '../../functions/run/run-deps';
import { createRunHandler } from '../../functions/run/run-handler';
import { FANOUT_LEASE_TTL_MS } from '../../lib/fanout/fanout-lease';
import { latestKey, runPrefix } from '../../lib/report/layout';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { readStatusFile } from '../../lib/report/run-status';
import { readLease } from '../../lib/store/lease';
import { type Stack, stackEnv, startStack } from '../reliability/stack-fixture';
import { type StepFunctionsStandIn, startStepFunctionsStandIn } from '../support/step-functions-stand-in';
import { type LambdaStandIn, startLambdaStandIn } from './lambda-invoke-stand-in';

const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:IngestionReports-Workflow';
const RUN_FUNCTION = 'ingestion-reports-run';

let stack: Stack;
let lambdaApi: LambdaStandIn;
let sfn: StepFunctionsStandIn;
let app: ReturnType<typeof createHttpApp>;

beforeAll(async () => {
  [stack, lambdaApi, sfn] = await Promise.all([
    startStack('workflow-handover-key-31d7', { workspaces: ['big', 'small', 'unstarted'] }),
    startLambdaStandIn(),
    startStepFunctionsStandIn(),
  ]);
  // The SDK clients the functions build read these from process.env, as on Lambda.
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('AWS_ENDPOINT_URL_SFN', sfn.url);
  const logger = { info: () => {}, error: () => {} };
  app = createHttpApp({
    store: stack.store,
    createClient: async () => stack.client(),
    logger,
    runLauncher: lambdaRunLauncher({
      client: new LambdaClient({ endpoint: lambdaApi.url }),
      functionName: RUN_FUNCTION,
    }),
  });
});
afterEach(() => {
  lambdaApi.invokes.length = 0;
  sfn.executions.length = 0;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([stack?.close(), lambdaApi?.close(), sfn?.close()]);
});

/** The environment the deployed run and fan-out functions get (the stack sets both variables). */
const functionEnv = (threshold: number) =>
  stackEnv(stack, {
    STATE_MACHINE_ARN,
    FANOUT_THRESHOLD_FILES: String(threshold),
    FANOUT_BATCH_FILES: '400',
    AWS_REGION: 'us-east-1',
  });

/** The run function as its Lambda entry builds it, over `env`. */
const runFunction = (env: NodeJS.ProcessEnv) =>
  createRunHandler(runDepsFromEnv({ logger: new Logger({ serviceName: 'run', logLevel: 'SILENT' }) }, env));

/** POSTs a run; the run ID from the 202, and what the run function was invoked with. */
async function startRun(workspace: string) {
  const posted = await app.request(`/workspaces/${workspace}/reports`, { method: 'POST' });
  expect(posted.status).toBe(202);
  const { run_id: runId } = (await posted.json()) as { run_id: string };
  expect(lambdaApi.invokes.map((i) => i.payload)).toEqual([{ workspace, mode: 'full', run_id: runId }]);
  return { runId, event: lambdaApi.invokes[0]!.payload };
}

/** What the state machine does with the execution input: Plan, a Worker per batch, Finish. */
async function runWorkflow(input: unknown, env: NodeJS.ProcessEnv) {
  const plan = createPlanHandler({ env });
  const worker = createWorkerHandler({ env });
  const state = await plan(input);
  const manifest = await stack.s3.client.send(
    new GetObjectCommand({ Bucket: state.bucket, Key: state.manifestKey }),
  );
  const items = JSON.parse(await manifest.Body!.transformToString()) as unknown[];
  const { workspace, runId, mode, bucket, manifestKey } = state;
  for (const [batchIndex, batch] of items.entries()) {
    await worker({ workspace, runId, mode, bucket, manifestKey, batchIndex, batch });
  }
  return createFinalizeHandler({ env })(state);
}

describe('a run started over HTTP', () => {
  it('above the threshold: handed to the workflow under its run ID, which reports and frees the lease', async () => {
    const env = functionEnv(1);
    const { runId, event } = await startRun('big');
    expect(await runFunction(env)(event)).toEqual({ run_id: runId, status: 'workflow' });

    // The real SDK's StartExecution, as Step Functions receives it.
    expect(sfn.executions).toEqual([
      {
        target: 'AWSStepFunctions.StartExecution',
        stateMachineArn: STATE_MACHINE_ARN,
        name: `${runId}-big`,
        input: { workspace: 'big', runId, mode: 'full' },
      },
    ]);
    const lease = await readLease(stack.store, runLeaseKey('big'));
    expect(lease?.holder).toBe(runId);
    expect(lease!.expiresAt.getTime(), 'held until Plan adopts it').toBeGreaterThan(
      Date.now() + FANOUT_LEASE_TTL_MS - 60_000,
    );
    expect(await readStatusFile(stack.store, runPrefix('big', runId))).toMatchObject({ status: 'running' });
    const second = await app.request('/workspaces/big/reports', { method: 'POST' });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { run_id: string }).run_id).toBe(runId);
    expect(await stack.store.list(runPrefix('big', runId))).toEqual([
      `${runPrefix('big', runId)}status.json`,
    ]);

    const outcome = await runWorkflow(sfn.executions[0]!.input, env);
    expect(outcome).toMatchObject({ runId, complete: true, latest: 'updated' });
    const status = await app.request(`/workspaces/big/reports/${runId}`);
    expect(await status.json()).toMatchObject({
      status: 'complete',
      summary: { run_id: runId, complete: true },
    });
    expect(JSON.parse((await stack.store.read(latestKey('big')))!.body).run_id).toBe(runId);
    expect(await readLease(stack.store, runLeaseKey('big'))).toMatchObject({ holder: runId, released: true });
  });

  it('at or below the threshold: reported by the run function itself, no execution started', async () => {
    const { runId, event } = await startRun('small');
    expect(await runFunction(functionEnv(10 ** 9))(event)).toEqual({ run_id: runId, status: 'complete' });
    expect(sfn.executions).toEqual([]);
    expect(JSON.parse((await stack.store.read(latestKey('small')))!.body).run_id).toBe(runId);
  });

  it('when the execution cannot start: the run reads failed (LAUNCH_FAILED) and the workspace is free', async () => {
    sfn.missing.add(STATE_MACHINE_ARN);
    try {
      const { runId, event } = await startRun('unstarted');
      expect(await runFunction(functionEnv(1))(event)).toEqual({ run_id: runId, status: 'failed' });
      expect(await readStatusFile(stack.store, runPrefix('unstarted', runId))).toMatchObject({
        status: 'failed',
        error: { code: 'LAUNCH_FAILED' },
      });
      expect(await stack.latestRaw('unstarted')).toBeUndefined();
    } finally {
      sfn.missing.clear();
    }
    expect((await app.request('/workspaces/unstarted/reports', { method: 'POST' })).status).toBe(202);
  });
});
