/**
 * A leased run on s3rver (real AWS SDK) with the emulator over HTTP: status.json goes from
 * running to complete or failed with progress that never goes backwards, a second run is
 * refused while the first holds the lease, and a run that dies reads as ABANDONED once its
 * lease has expired (latest.json untouched), after which the next run is fine.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { claimRun, RunInProgressError } from '../../lib/report/leased-run';
import { newRunId } from '../../lib/report/run-id';
import { runLeaseKey } from '../../lib/report/run-lease-key';
import { type RunStatus, readRunStatus } from '../../lib/report/run-status';
import { acquireLease } from '../../lib/store/lease';
import { resetFaults } from '../reliability/report-fixture';
import { type Stack, startStack } from '../reliability/stack-fixture';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('leased-run-key-4a1f', { workspaces: ['steady', 'drifting', 'dying'] });
});
afterEach(() => resetFaults(stack.emulator));
afterAll(() => stack?.close());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the run's status every 20 ms until `until` settles; returns every status seen. */
async function watch(workspace: string, runId: string, prefix: string, until: Promise<unknown>) {
  const seen: RunStatus[] = [];
  let settled = false;
  void until
    .finally(() => {
      settled = true;
    })
    .catch(() => {});
  while (!settled) {
    const status = await readRunStatus(stack.store, workspace, runId, prefix);
    if (status) seen.push(status);
    await sleep(20);
  }
  seen.push((await readRunStatus(stack.store, workspace, runId, prefix))!);
  return seen;
}

function expectMonotone(seen: RunStatus[]): void {
  for (const [i, status] of seen.entries()) {
    if (i === 0) continue;
    const before = seen[i - 1]!.progress;
    expect(status.progress.sessions_done).toBeGreaterThanOrEqual(before.sessions_done);
    expect(status.progress.files_seen).toBeGreaterThanOrEqual(before.files_seen);
    expect(status.progress.requests).toBeGreaterThanOrEqual(before.requests);
  }
}

describe('a leased run', () => {
  it('goes running → complete with monotone progress; a second run is refused meanwhile', async () => {
    stack.emulator.faults.latencyMs = 15;
    const claimed = await claimRun({
      store: stack.store,
      workspace: 'steady',
      mode: 'full',
      statusIntervalMs: 30,
    });
    const second = await claimRun({ store: stack.store, workspace: 'steady', mode: 'full' }).catch((e) => e);
    expect(second).toBeInstanceOf(RunInProgressError);
    expect((second as RunInProgressError).runId).toBe(claimed.runId);

    const running = claimed.run(stack.client({ concurrency: 2 }));
    const seen = await watch('steady', claimed.runId, claimed.prefix, running);
    const published = await running;

    expect(seen[0]!.status).toBe('running');
    expect(seen.filter((s) => s.status === 'running' && s.progress.sessions_done > 0).length).toBeGreaterThan(
      0,
    );
    expectMonotone(seen);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ status: 'complete', run_id: claimed.runId, summary: published.summary });
    expect(last.progress).toMatchObject({ sessions_done: 8, sessions_total: 8 });
    expect(last.progress.files_seen).toBe(published.summary.files.total);
    expect((await stack.keys('steady')).filter((k) => k.startsWith(claimed.prefix)).sort()).toEqual(
      ['failed_files.csv', 'files.csv', 'sessions.csv', 'status.json', 'summary.json'].map(
        (n) => claimed.prefix + n,
      ),
    );
    const next = await claimRun({ store: stack.store, workspace: 'steady', mode: 'summary' });
    expect(next.runId, 'the lease is free once the run ended').not.toBe(claimed.runId);
    await next.run(stack.client());
  });

  it('goes running → failed with the error; its folder keeps summary.json and status.json only', async () => {
    let filesRequests = 0;
    stack.emulator.faults.onRequest = (request) => {
      if (request.workspace !== 'drifting' || request.endpoint !== 'files') return;
      if (++filesRequests > 3) stack.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
    };
    const claimed = await claimRun({
      store: stack.store,
      workspace: 'drifting',
      mode: 'full',
      statusIntervalMs: 30,
    });
    const running = claimed.run(stack.client());
    const seen = await watch('drifting', claimed.runId, claimed.prefix, running);
    await expect(running).rejects.toThrow();
    expectMonotone(seen);
    expect(seen.at(-1)).toMatchObject({ status: 'failed', error: { code: 'INVALID_RESPONSE' } });
    expect((await stack.store.list(claimed.prefix)).sort()).toEqual(
      ['status.json', 'summary.json'].map((n) => claimed.prefix + n),
    );
  });

  it('is refused while the holder has only just taken the lease (no status.json yet)', async () => {
    const justTaken = await acquireLease(stack.store, runLeaseKey('steady'), newRunId(), { ttlMs: 60_000 });
    expect(justTaken.acquired).toBe(true);
    await expect(
      claimRun({ store: stack.store, workspace: 'steady', mode: 'summary' }),
    ).rejects.toBeInstanceOf(RunInProgressError);
    if (justTaken.acquired) await justTaken.lease.release();
  });

  it('that dies reads ABANDONED once its lease expired; latest.json untouched; the next run is fine', async () => {
    const good = await claimRun({ store: stack.store, workspace: 'dying', mode: 'summary' });
    await good.run(stack.client());
    const latestBefore = await stack.latestRaw('dying');
    // Claimed and then never run nor refreshed: what a killed process leaves.
    const dead = await claimRun({ store: stack.store, workspace: 'dying', mode: 'full', leaseTtlMs: 400 });
    expect((await readRunStatus(stack.store, 'dying', dead.runId, dead.prefix))?.status).toBe('running');
    await expect(claimRun({ store: stack.store, workspace: 'dying', mode: 'full' })).rejects.toBeInstanceOf(
      RunInProgressError,
    );
    await sleep(500);
    const status = await readRunStatus(stack.store, 'dying', dead.runId, dead.prefix);
    expect(status).toMatchObject({ status: 'failed', error: { code: 'ABANDONED' } });
    expect(await stack.latestRaw('dying')).toBe(latestBefore);

    const next = await claimRun({ store: stack.store, workspace: 'dying', mode: 'summary' });
    const published = await next.run(stack.client());
    expect(published.summary.complete).toBe(true);
    expect(await readRunStatus(stack.store, 'dying', dead.runId, dead.prefix)).toMatchObject({
      status: 'failed',
      error: { code: 'ABANDONED' },
    });
  });
});
