/**
 * `report --fanout` into s3:// holds the workspace's lease like every run into a store with
 * history, and stops at once when it loses it: another holder takes the lease over mid-run (as
 * after the run stalled past its expiry), the emulator slowed down so the batches are under
 * way. The CLI exits 1 with one LEASE_LOST line, the API sees no request after the loss,
 * latest.json stays where it was and no report file is published. s3rver through the real
 * AWS SDK, the emulator over HTTP.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { runPrefix } from '../../lib/report/layout';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { readRunStatus } from '../../lib/report/run-status';
import { ReportSummary } from '../../lib/report/summary';
import { readLease } from '../../lib/store/lease';
import { resetFaults } from '../reliability/report-fixture';
import { STACK_PREFIX, type Stack, stackEnv, startStack, stubAwsEnv } from '../reliability/stack-fixture';
import { capturedCliIo } from '../support/captured-io';

const WORKSPACE = 'fanned';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack('cli-fanout-lease-key-5b1e', {
    emulator: { sessions: 24, maxFiles: 1000 },
    workspaces: [WORKSPACE],
  });
  stubAwsEnv(stack);
});
afterEach(() => resetFaults(stack.emulator));
afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `report --fanout` of the workspace into the stack's bucket, with a one-second lease. */
async function cli() {
  const { text, io } = capturedCliIo();
  const out = `s3://${stack.s3.bucket}/${STACK_PREFIX}`;
  const argv = ['--workspace', WORKSPACE, '--out', out, '--quiet', '--fanout', '--batch-files', '1500'];
  const code = await runCli(argv, stackEnv(stack, { RUN_LEASE_SECONDS: '1' }), io);
  return { code, ...text };
}

/** When each API request of the workspace arrived. */
function recordRequests(): number[] {
  const arrivals: number[] = [];
  stack.emulator.faults.onRequest = (request) => {
    if (request.workspace === WORKSPACE) arrivals.push(performance.now());
  };
  return arrivals;
}

/** The run the lease names now (the CLI's, once it claimed the workspace). */
async function leaseHolder(): Promise<string | undefined> {
  return (await readLease(stack.store, runLeaseKey(WORKSPACE)))?.holder;
}

describe('report --fanout into s3:// that loses its lease', () => {
  it('stops at once: exit 1 with one LEASE_LOST line, no request after, nothing published', async () => {
    const first = recordRequests();
    const before = await cli();
    expect(before.code, before.err).toBe(0);
    const fullRunRequests = first.length;
    const latestBefore = await stack.latestRaw(WORKSPACE);
    expect(latestBefore).toBeDefined();

    stack.emulator.faults.latencyMs = 60;
    const arrivals = recordRequests();
    const holderBefore = await leaseHolder();
    const running = cli();
    // Past the plan (its listing and one count per session): the batches are under way.
    while (arrivals.length < 40) await sleep(10);
    const runId = await leaseHolder();
    expect(runId).not.toBe(holderBefore);
    const other = newRunId();
    const lease = JSON.stringify({ holder: other, expires_at: new Date(Date.now() + 60_000).toISOString() });
    await stack.store.write(runLeaseKey(WORKSPACE), lease, { contentType: 'application/json' });
    const takenAt = arrivals.length;
    const result = await running;

    expect(result).toMatchObject({
      code: 1,
      out: '',
      err: `error: the run lost the lease of workspace "${WORKSPACE}": another run took it over\n`,
    });
    // Noticed at the next refresh (a third of the lease): a few requests' worth, not the run's rest.
    const afterLoss = arrivals.length;
    await sleep(400);
    expect(arrivals.length, 'no request once the CLI stopped').toBe(afterLoss);
    console.log(
      `fan-out lease taken after ${takenAt} requests: ${afterLoss} sent of a full run's ${fullRunRequests}`,
    );
    expect(afterLoss).toBeLessThan(fullRunRequests);

    expect(await stack.latestRaw(WORKSPACE)).toBe(latestBefore);
    const prefix = runPrefix(WORKSPACE, runId!);
    const keys = await stack.store.list(prefix);
    const published = keys.filter((key) => !key.startsWith(`${prefix}fanout/`)).sort();
    expect(published).toEqual([`${prefix}status.json`, `${prefix}summary.json`]);
    const summary = ReportSummary.parse(JSON.parse((await stack.store.read(`${prefix}summary.json`))!.body));
    expect(summary).toMatchObject({ complete: false, error: { code: 'LEASE_LOST' } });
    const status = await readRunStatus(stack.store, WORKSPACE, runId!, prefix);
    expect(status).toMatchObject({ status: 'failed', error: { code: 'LEASE_LOST' } });
    // Where its steps got, not back to nothing: the plan's sessions and the requests sent.
    expect(status?.progress.sessions_total).toBe(24);
    expect(status?.progress.requests).toBeGreaterThanOrEqual(takenAt);
    expect(await leaseHolder(), 'left to its new holder').toBe(other);
  });
});
