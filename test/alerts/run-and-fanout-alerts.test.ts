/**
 * Alerts after the other two Lambda paths of a complete run: the run function ("run now" on
 * AWS, built from its environment as on Lambda) and the fan-out workflow's Finish step, driven
 * as the state machine drives it. Against the emulator over HTTP and s3rver; SNS cannot run
 * here, so its local query-protocol stand-in receives the Publish requests. A failed fan-out
 * (RecordFailure) alerts on nothing: only complete runs are judged.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFinalizeHandler } from '../../functions/fanout/finalize/finalize-handler';
import { createPlanHandler } from '../../functions/fanout/plan/plan-handler';
import { createWorkerHandler } from '../../functions/fanout/worker/worker-handler';
import { runDepsFromEnv } from '../../functions/run/run-deps';
import { createRunHandler } from '../../functions/run/run-handler';
import { lambdaTelemetry } from '../../functions/shared/powertools';
import { newRunId } from '../../lib/report/run-id';
import { type FanoutFixture, startFanoutFixture, WORKSPACE } from '../fanout/fixture';
import { captureOutput, stubAwsEnv } from '../nightly/nightly-fixture';
import { type SnsStandIn, startSnsStandIn } from '../support/sns-stand-in';

const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:alerts';
let f: FanoutFixture;
let sns: SnsStandIn;
let env: Record<string, string>;

beforeAll(async () => {
  f = await startFanoutFixture({ longSessions: 0 });
  sns = await startSnsStandIn();
  env = {
    ...f.lambdaEnv,
    ALERT_FAILURE_RATE_PCT: '0',
    ALERTS_TOPIC_ARN: TOPIC,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
  };
  stubAwsEnv();
});
beforeEach(() => {
  sns.requests.length = 0;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sns.close();
  await f?.close();
});

/** What a Publish request said: the attributes and the body's workspace, run and rules. */
function published() {
  return sns.requests.map((r) => {
    const body = JSON.parse(r.Message!) as { workspace: string; run_id: string; rules: { rule: string }[] };
    return {
      action: r.Action,
      workspace: r['MessageAttributes.entry.1.Value.StringValue'],
      rules: r['MessageAttributes.entry.2.Value.StringValue'],
      body: { workspace: body.workspace, run_id: body.run_id, rules: body.rules.map((b) => b.rule) },
    };
  });
}

describe('the run function', () => {
  it('publishes one alert after its complete run, from the environment it is deployed with', async () => {
    for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
    const output = captureOutput();
    try {
      const handler = createRunHandler(runDepsFromEnv(lambdaTelemetry('run')));
      const runId = newRunId();
      await expect(handler({ workspace: WORKSPACE, mode: 'summary', run_id: runId })).resolves.toEqual({
        run_id: runId,
        status: 'complete',
      });
      expect(published()).toEqual([
        {
          action: 'Publish',
          workspace: WORKSPACE,
          rules: '["failure_rate_pct"]',
          body: { workspace: WORKSPACE, run_id: runId, rules: ['failure_rate_pct'] },
        },
      ]);
      const metrics = output.records().filter((r) => r.Workspace === WORKSPACE);
      expect(metrics).toEqual([expect.objectContaining({ FailureRatePct: expect.any(Number) })]);
    } finally {
      output.restore();
      for (const name of Object.keys(env)) vi.stubEnv(name, undefined);
    }
  });
});

describe('the fan-out Finish step', () => {
  const handlers = () => ({
    plan: createPlanHandler({ env }),
    worker: createWorkerHandler({ env }),
    finalize: createFinalizeHandler({ env }),
  });

  async function runBatches(h: ReturnType<typeof handlers>, runId: string, upTo = Number.POSITIVE_INFINITY) {
    const state = await h.plan({ workspace: WORKSPACE, runId, mode: 'summary' });
    const object = await f.s3.client.send(
      new GetObjectCommand({ Bucket: state.bucket, Key: state.manifestKey }),
    );
    const items = JSON.parse(await object.Body!.transformToString()) as unknown[];
    for (const [index, batch] of items.entries()) {
      if (index >= upTo) break;
      const { workspace, mode, bucket, manifestKey } = state;
      await h.worker({ workspace, runId, mode, bucket, manifestKey, batchIndex: index, batch });
    }
    return state;
  }

  it('publishes one alert after the workflow publishes the report', async () => {
    const h = handlers();
    const runId = newRunId();
    const state = await runBatches(h, runId);
    await expect(h.finalize(state)).resolves.toMatchObject({ complete: true, runId });
    expect(published()).toEqual([
      {
        action: 'Publish',
        workspace: WORKSPACE,
        rules: '["failure_rate_pct"]',
        body: { workspace: WORKSPACE, run_id: runId, rules: ['failure_rate_pct'] },
      },
    ]);
  });

  it('publishes nothing for a failed workflow (RecordFailure)', async () => {
    const h = handlers();
    const state = await runBatches(h, newRunId(), 1);
    const failure = { Error: 'States.ExceedToleratedFailureThreshold', Cause: 'threshold exceeded' };
    await expect(h.finalize({ ...state, failure })).resolves.toMatchObject({ complete: false });
    expect(sns.requests).toEqual([]);
  });
});
