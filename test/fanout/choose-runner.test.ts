/**
 * The nightly job's choice of runner: in-process up to FANOUT_THRESHOLD_FILES total
 * files, the Step Functions workflow above it. Step Functions exists only on AWS, so the
 * execution starter is a fake that records what StartExecution would have been sent; the
 * counting, the in-process runs and the workspace leases are real (emulator over HTTP, s3rver).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { countFiles } from '../../emulator/dataset';
import { apiFileCounter, chooseRunner } from '../../functions/nightly/choose-runner';
import { createNightlyHandler } from '../../functions/nightly/nightly-handler';
import { NIGHTLY_SERVICE } from '../../functions/nightly/nightly-metrics';
import {
  type ExecutionStarter,
  executionName,
  stepFunctionsRunner,
} from '../../functions/nightly/step-functions-runner';
import { METRICS_NAMESPACE } from '../../functions/shared/powertools';
import { UploadSessionsClient } from '../../lib/api';
import { countWorkspaceFiles } from '../../lib/fanout/count-files';
import { FANOUT_LEASE_TTL_MS } from '../../lib/fanout/fanout-lease';
import { runPrefix } from '../../lib/report/layout';
import { claimRun } from '../../lib/report/leased-run';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { readStatusFile } from '../../lib/report/run-status';
import { readLease } from '../../lib/store/lease';
import { API_KEY, fakeContext, useNightlyFixture } from '../nightly/nightly-fixture';

const STATE_MACHINE_ARN = 'arn:aws:states:eu-central-1:123456789012:stateMachine:IngestionReports';

const nightly = useNightlyFixture();
const filesOf = (workspace: string) =>
  countFiles(nightly.fixture.emulator.dataset.workspaces.get(workspace)!);

/** A starter that records its requests instead of calling Step Functions. */
function fakeStarter() {
  const calls: Parameters<ExecutionStarter>[0][] = [];
  const start: ExecutionStarter = async (request) => {
    calls.push(request);
    return {
      executionArn: `arn:aws:states:eu-central-1:123456789012:execution:IngestionReports:${request.name}`,
    };
  };
  return { calls, start };
}

describe('chooseRunner', () => {
  it('picks step-functions only above the threshold, and counts nothing without one', async () => {
    const counted: string[] = [];
    const counter = (files: number) => async (workspace: string) => {
      counted.push(workspace);
      return files;
    };
    expect(await chooseRunner({ fanoutThresholdFiles: 100 }, counter(101))('big')).toBe('step-functions');
    expect(await chooseRunner({ fanoutThresholdFiles: 100 }, counter(100))('edge')).toBe('in-process');
    expect(await chooseRunner({ fanoutThresholdFiles: undefined }, counter(10 ** 9))('any')).toBe(
      'in-process',
    );
    expect(await chooseRunner({ fanoutThresholdFiles: 1 })('no-counter')).toBe('in-process');
    expect(counted).toEqual(['big', 'edge']);
  });

  it("counts files from the sessions' totals, exactly, or stops early once past the threshold", async () => {
    const client = () => new UploadSessionsClient({ baseUrl: nightly.fixture.emulator.url, apiKey: API_KEY });
    const sessions = nightly.fixture.emulator.dataset.workspaces.get('demo')!.length;
    expect(await countWorkspaceFiles(client(), 'demo')).toEqual({ files: filesOf('demo'), exact: true });
    const early = client();
    const stopped = await countWorkspaceFiles(early, 'demo', { stopAbove: 0 });
    expect(stopped.exact).toBe(false);
    expect(stopped.files).toBeGreaterThan(0);
    // The listing, plus at most one count per session (fewer when the window had not filled).
    expect(early.stats.requests).toBeLessThanOrEqual(1 + sessions);
    const count = apiFileCounter({ apiUrl: nightly.fixture.emulator.url, apiKey: API_KEY, concurrency: 4 });
    expect(await count('beta', 10 ** 9)).toBe(filesOf('beta'));
  });
});

describe('stepFunctionsRunner', () => {
  it('starts an execution with {workspace, runId, mode} and returns the run folder', async () => {
    const { calls, start } = fakeStarter();
    const runId = '20261120T030000123Z-abc123';
    const store = nightly.fixture.store;
    const runner = stepFunctionsRunner({
      store,
      stateMachineArn: STATE_MACHINE_ARN,
      start,
      newRunId: () => runId,
    });
    expect(await runner('acme')).toEqual({ runner: 'step-functions', prefix: runPrefix('acme', runId) });
    expect(calls).toEqual([
      {
        stateMachineArn: STATE_MACHINE_ARN,
        name: `${runId}-acme`,
        input: { workspace: 'acme', runId, mode: 'full' },
      },
    ]);
    // Claimed before the start, for as long as the workflow's Plan may take to adopt it.
    const lease = await readLease(store, runLeaseKey('acme'));
    expect(lease?.holder).toBe(runId);
    expect(lease!.expiresAt.getTime()).toBeGreaterThan(Date.now() + FANOUT_LEASE_TTL_MS - 60_000);
    expect(await readStatusFile(store, runPrefix('acme', runId))).toMatchObject({ status: 'running' });
  });

  it('skips a workspace whose lease another run holds: nothing started, that run untouched', async () => {
    const { calls, start } = fakeStarter();
    const going = await claimRun({ store: nightly.fixture.store, workspace: 'held', mode: 'full' });
    const runner = stepFunctionsRunner({
      store: nightly.fixture.store,
      stateMachineArn: STATE_MACHINE_ARN,
      start,
    });
    expect(await runner('held')).toEqual({
      runner: 'step-functions',
      skipped: { code: 'RUN_IN_PROGRESS', message: expect.stringContaining(going.runId) },
    });
    expect(calls).toEqual([]);
    expect((await readLease(nightly.fixture.store, runLeaseKey('held')))?.holder).toBe(going.runId);
    await going.abandon({ code: 'INTERNAL', message: 'the test is done with it' });
  });

  it('reads failed (LAUNCH_FAILED) and frees the lease when the execution cannot start', async () => {
    const runId = newRunId();
    const start: ExecutionStarter = async () => {
      throw new Error('StateMachineDoesNotExist');
    };
    const runner = stepFunctionsRunner({
      store: nightly.fixture.store,
      stateMachineArn: STATE_MACHINE_ARN,
      start,
      newRunId: () => runId,
    });
    await expect(runner('unstarted')).rejects.toThrow('StateMachineDoesNotExist');
    expect(await readStatusFile(nightly.fixture.store, runPrefix('unstarted', runId))).toMatchObject({
      status: 'failed',
      error: { code: 'LAUNCH_FAILED' },
    });
    expect(await readLease(nightly.fixture.store, runLeaseKey('unstarted'))).toMatchObject({
      released: true,
    });
  });

  it('keeps execution names within 80 characters of the allowed set', () => {
    const name = executionName('w'.repeat(128), '20261120T030000123Z-abc123');
    expect(name).toHaveLength(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('the nightly handler with a threshold', () => {
  const handler = (env: NodeJS.ProcessEnv, start?: ExecutionStarter) =>
    createNightlyHandler({
      logger: new Logger({ serviceName: NIGHTLY_SERVICE }),
      metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE }),
      env,
      ...(start ? { startExecution: start } : {}),
    });

  it('hands the workspace above the threshold to the state machine and reports the other in-process', async () => {
    expect(filesOf('demo')).toBeGreaterThan(filesOf('beta'));
    const { calls, start } = fakeStarter();
    const env = {
      ...nightly.fixture.env,
      FANOUT_THRESHOLD_FILES: String(filesOf('beta')),
      STATE_MACHINE_ARN,
    };
    const summary = await handler(env, start)({ workspaces: ['demo', 'beta'] }, fakeContext());
    expect(summary.workspaces.map((w) => [w.workspace, w.ok, w.runner])).toEqual([
      ['demo', true, 'step-functions'],
      ['beta', true, 'in-process'],
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      stateMachineArn: STATE_MACHINE_ARN,
      input: { workspace: 'demo', mode: 'full' },
    });
    expect(summary.workspaces[0]!.prefix).toBe(runPrefix('demo', calls[0]!.input.runId));
    expect((await nightly.fixture.latest('beta'))?.run_id).toBe(summary.workspaces[1]!.runId);
    expect(await nightly.fixture.latest('demo')).toBeUndefined();
    // The workflow's run holds the workspace: the next night skips it, as the in-process runner would.
    expect((await readLease(nightly.fixture.store, runLeaseKey('demo')))?.holder).toBe(calls[0]!.input.runId);
    const again = await handler(env, start)({ workspaces: ['demo'] }, fakeContext());
    expect(again.workspaces[0]).toMatchObject({ workspace: 'demo', ok: true, prefix: undefined });
    const skipped = nightly.output.records().filter((r) => r.message === 'workspace skipped');
    expect(skipped).toEqual([expect.objectContaining({ workspace: 'demo', reason: 'RUN_IN_PROGRESS' })]);
    expect(calls).toHaveLength(1);
    await nightly.fixture.store.remove([runLeaseKey('demo')]);
  });

  it('refuses a STATE_MACHINE_ARN that is not one, naming the variable', async () => {
    const env = { ...nightly.fixture.env, STATE_MACHINE_ARN: 'IngestionReports' };
    await expect(handler(env)({ workspaces: ['beta'] }, fakeContext())).rejects.toThrow(
      /invalid STATE_MACHINE_ARN/,
    );
  });
});
