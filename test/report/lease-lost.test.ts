/**
 * A run that loses its workspace lease stops: on s3rver (real AWS SDK) with the emulator over
 * HTTP, slowed down so the run is mid-walk when it happens. Another holder takes the lease over
 * from under the running run (as after the run stalled past its expiry), or the store refuses
 * every refresh until the lease would expire: either way the run fails with LEASE_LOST, the API
 * sees no request after the loss, and nothing is published (latest.json untouched, the run
 * folder keeps only summary.json and status.json).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { UploadSessionsClient } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import { type ClaimedRun, claimRun } from '../../lib/report/leased-run';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { readStatusFile } from '../../lib/report/run-status';
import { ReportSummary } from '../../lib/report/summary';
import { readLease } from '../../lib/store/lease';
import type { ReportStore } from '../../lib/store/store';
import { resetFaults } from '../reliability/report-fixture';
import { type Stack, startStack } from '../reliability/stack-fixture';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('lease-lost-key-7c2e', {
    emulator: { sessions: 24, maxFiles: 300 },
    workspaces: ['taken', 'refused'],
  });
});
afterEach(() => resetFaults(stack.emulator));
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LEASE_TTL_MS = 900;

/** When each API request of `workspace` arrived (performance.now()). */
function recordRequests(workspace: string): number[] {
  const arrivals: number[] = [];
  stack.emulator.faults.onRequest = (request) => {
    if (request.workspace === workspace) arrivals.push(performance.now());
  };
  return arrivals;
}

/** The stack's store, whose conditional writes of the lease fail outright while `refuse()`. */
function leaseRefusingStore(workspace: string, refuse: () => boolean): ReportStore {
  const store: ReportStore = Object.create(stack.store);
  store.writeIfUnchanged = async (key, body, version, options) => {
    if (key === runLeaseKey(workspace) && refuse()) throw new Error('store failure injected on the lease');
    return stack.store.writeIfUnchanged(key, body, version, options);
  };
  return store;
}

/** Starts the claimed run; notes how many requests its client had sent when the lease was lost. */
function runWatchingLoss(claimed: ClaimedRun) {
  const client = stack.client({ concurrency: 2 });
  const atLoss: { requests?: number; at?: number } = {};
  claimed.leaseLost.addEventListener('abort', () => {
    atLoss.requests = client.stats.requests;
    atLoss.at = Date.now();
  });
  const outcome = claimed.run(client).then(
    () => undefined,
    (error: unknown) => error,
  );
  return { client, atLoss, outcome };
}

/**
 * The client started no request after the loss (its counter counts a request as it is sent),
 * and the API saw only those: none arrives later either.
 */
async function expectNoRequestAfterLoss(
  client: UploadSessionsClient,
  atLoss: { requests?: number; at?: number },
  arrivals: number[],
): Promise<void> {
  expect(atLoss.requests, 'the lease was lost').toBeDefined();
  expect(client.stats.requests).toBe(atLoss.requests);
  await sleep(300);
  expect(arrivals.length).toBeLessThanOrEqual(atLoss.requests!);
  expect(client.stats.requests).toBe(atLoss.requests);
}

async function untilRequests(arrivals: number[], count: number): Promise<void> {
  while (arrivals.length < count) await sleep(10);
}

/** A complete run first, so there is a latest.json the lost run must leave alone. */
async function publishedBefore(workspace: string) {
  const arrivals = recordRequests(workspace);
  const good = await claimRun({ store: stack.store, workspace, mode: 'full' });
  await good.run(stack.client({ concurrency: 2 }));
  return { latest: await stack.latestRaw(workspace), fullRunRequests: arrivals.length };
}

async function expectNothingPublished(workspace: string, prefix: string, latestBefore: string | undefined) {
  expect(await stack.latestRaw(workspace)).toBe(latestBefore);
  expect((await stack.store.list(prefix)).sort()).toEqual([`${prefix}status.json`, `${prefix}summary.json`]);
  const summary = ReportSummary.parse(JSON.parse((await stack.store.read(`${prefix}summary.json`))!.body));
  expect(summary).toMatchObject({ complete: false, error: { code: 'LEASE_LOST' } });
  expect(await readStatusFile(stack.store, prefix)).toMatchObject({
    status: 'failed',
    error: { code: 'LEASE_LOST' },
  });
}

describe('a run that loses its lease', () => {
  it('taken over by another holder: fails LEASE_LOST, sends no request after, publishes nothing', async () => {
    const before = await publishedBefore('taken');
    stack.emulator.faults.latencyMs = 60;
    const arrivals = recordRequests('taken');
    const claimed = await claimRun({
      store: stack.store,
      workspace: 'taken',
      mode: 'full',
      leaseTtlMs: LEASE_TTL_MS,
    });
    const { client, atLoss, outcome } = runWatchingLoss(claimed);
    await untilRequests(arrivals, 5);

    // What a takeover leaves: the lease object now names another run.
    const other = newRunId();
    const expiresAt = new Date(Date.now() + 60_000).toISOString();
    const lease = JSON.stringify({ holder: other, expires_at: expiresAt });
    await stack.store.write(runLeaseKey('taken'), lease, { contentType: 'application/json' });
    const error = await outcome;

    expect(error).toBeInstanceOf(ReportFailedError);
    expect((error as ReportFailedError).failure).toMatchObject({
      code: 'LEASE_LOST',
      message: expect.stringContaining('another run took it over'),
    });
    await expectNoRequestAfterLoss(client, atLoss, arrivals);
    console.log(`lease taken: ${arrivals.length} of a full run's ${before.fullRunRequests} requests sent`);
    expect(arrivals.length).toBeLessThan(before.fullRunRequests);
    await expectNothingPublished('taken', claimed.prefix, before.latest);
    expect((await readLease(stack.store, runLeaseKey('taken')))?.holder, 'left to its new holder').toBe(
      other,
    );
  });

  it('that cannot be refreshed before it expires: fails LEASE_LOST the same way', async () => {
    const before = await publishedBefore('refused');
    // Slower, with a longer lease: a timer tick late on a busy machine still comes before the expiry.
    stack.emulator.faults.latencyMs = 100;
    const arrivals = recordRequests('refused');
    let refusing = false;
    const store = leaseRefusingStore('refused', () => refusing);
    const claimed = await claimRun({
      store,
      workspace: 'refused',
      mode: 'full',
      leaseTtlMs: 2 * LEASE_TTL_MS,
    });
    const { client, atLoss, outcome } = runWatchingLoss(claimed);
    await untilRequests(arrivals, 5);
    refusing = true;
    const error = await outcome;

    expect((error as ReportFailedError).failure).toMatchObject({
      code: 'LEASE_LOST',
      message: expect.stringContaining('before it expired'),
    });
    // The lease's last successful write said until when it held: the run gave up before that.
    expect(atLoss.at, 'gave up before its lease expired').toBeLessThanOrEqual(
      claimed.lease.expiresAt.getTime(),
    );
    await expectNoRequestAfterLoss(client, atLoss, arrivals);
    console.log(
      `lease not refreshed: ${arrivals.length} of a full run's ${before.fullRunRequests} requests sent`,
    );
    expect(arrivals.length).toBeLessThan(before.fullRunRequests);
    await expectNothingPublished('refused', claimed.prefix, before.latest);
  });
});
