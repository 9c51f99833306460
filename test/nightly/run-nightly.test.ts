/**
 * runNightly: the real in-process runner against the emulator over HTTP and s3rver, and the
 * scheduling rules (bounded parallelism, isolation of failures, the deadline) with plain
 * runner functions that record what they were asked to do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseRunner, dispatchRunners, RunnerUnavailableError } from '../../functions/nightly/choose-runner';
import { deadlineSignal, stopMarginMs } from '../../functions/nightly/deadline';
import { inProcessRunner } from '../../functions/nightly/in-process-runner';
import { DEADLINE_FAILURE, runNightly } from '../../functions/nightly/run-nightly';
import type { WorkspaceRunner } from '../../functions/nightly/workspace-runner';
import { ReportFailedError } from '../../lib/report/failure';
import { InvalidWorkspaceError } from '../../lib/report/workspace-name';
import { API_KEY, type NightlyFixture, startNightlyFixture } from './nightly-fixture';

let fixture: NightlyFixture;
let runWorkspace: WorkspaceRunner;

beforeAll(async () => {
  fixture = await startNightlyFixture();
  runWorkspace = inProcessRunner({
    apiUrl: fixture.emulator.url,
    apiKey: API_KEY,
    requestConcurrency: 8,
    store: fixture.store,
  });
});
afterAll(() => fixture.close());

const sessionCount = (workspace: string) => fixture.emulator.dataset.workspaces.get(workspace)!.length;
const fileCount = (workspace: string) =>
  fixture.emulator.dataset.workspaces.get(workspace)!.reduce((sum, s) => sum + s.files.length, 0);

describe('runNightly with the in-process runner (emulator + s3rver)', () => {
  it('publishes every workspace and moves each latest.json to its run', async () => {
    const results = await runNightly({ workspaces: ['demo', 'beta'], runWorkspace });
    expect(results.map((r) => [r.workspace, r.ok])).toEqual([
      ['demo', true],
      ['beta', true],
    ]);
    for (const result of results) {
      if (!result.ok) throw new Error('unreachable');
      expect(result.runner).toBe('in-process');
      expect(result.summary?.complete).toBe(true);
      expect(result.summary?.sessions.total).toBe(sessionCount(result.workspace));
      expect(result.summary?.files.total).toBe(fileCount(result.workspace));
      expect(result.durationMs).toBeGreaterThan(0);
      const latest = await fixture.latest(result.workspace);
      expect(latest?.run_id).toBe(result.summary?.run_id);
      expect(latest?.prefix).toBe(result.prefix);
      expect(await fixture.store.read(`${result.prefix}summary.json`)).toBeDefined();
      expect(await fixture.store.read(`${result.prefix}files.csv`)).toBeDefined();
    }
  });

  it('a workspace with no sessions is a complete, empty report', async () => {
    const [result] = await runNightly({ workspaces: ['empty'], runWorkspace });
    expect(result?.ok && result.summary?.sessions.total).toBe(0);
    expect((await fixture.latest('empty'))?.run_id).toBeDefined();
  });

  it('an unknown workspace fails alone: the other one is still published', async () => {
    const before = await fixture.latest('demo');
    const results = await runNightly({ workspaces: ['ghost', 'demo'], runWorkspace, concurrency: 1 });
    const [ghost, demo] = results;
    expect(ghost).toMatchObject({ workspace: 'ghost', ok: false, failure: { code: 'WORKSPACE_NOT_FOUND' } });
    expect(ghost?.ok === false && ghost.cause).toBeInstanceOf(ReportFailedError);
    expect(demo?.ok).toBe(true);
    const after = await fixture.latest('demo');
    expect(after?.run_id).not.toBe(before?.run_id);
    expect(demo?.ok && after?.run_id).toBe(demo?.ok && demo.summary?.run_id);
    expect(await fixture.latest('ghost')).toBeUndefined();
  });

  it('a rejected key fails each workspace with API_KEY_REJECTED, and the message does not hold either key', async () => {
    const wrongKey = 'wrong-key-0d1e2f';
    const rejected = inProcessRunner({
      apiUrl: fixture.emulator.url,
      apiKey: wrongKey,
      requestConcurrency: 2,
      store: fixture.store,
    });
    const results = await runNightly({ workspaces: ['demo'], runWorkspace: rejected });
    expect(results[0]).toMatchObject({ ok: false, failure: { code: 'API_KEY_REJECTED' } });
    const text = JSON.stringify(results[0]);
    expect(text).not.toContain(wrongKey);
    expect(text).not.toContain(API_KEY);
  });
});

/** A runner that records how many calls overlap and finishes each after a short wait. */
function recordingRunner(delayMs = 15) {
  const state = { inFlight: 0, maxInFlight: 0, started: [] as string[] };
  const runner: WorkspaceRunner = async (workspace) => {
    state.started.push(workspace);
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    state.inFlight--;
    if (workspace.startsWith('bad')) throw new Error(`boom in ${workspace}`);
    return { runner: 'in-process' };
  };
  return { runner, state };
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `ws-${i}`);

describe('runNightly scheduling', () => {
  it('runs at most `concurrency` workspaces at once (default 2), and uses that much', async () => {
    for (const [concurrency, expected] of [
      [undefined, 2],
      [1, 1],
      [3, 3],
    ] as const) {
      const { runner, state } = recordingRunner();
      const results = await runNightly({ workspaces: names(7), runWorkspace: runner, concurrency });
      expect(state.maxInFlight).toBe(expected);
      expect(state.started).toHaveLength(7);
      expect(results.every((r) => r.ok)).toBe(true);
    }
  });

  it('returns results in the given order whatever order they finish in', async () => {
    const delays: Record<string, number> = { a: 40, b: 5, c: 20 };
    const runner: WorkspaceRunner = async (workspace) => {
      await new Promise((resolve) => setTimeout(resolve, delays[workspace]));
      return { runner: 'in-process' };
    };
    const results = await runNightly({ workspaces: ['a', 'b', 'c'], runWorkspace: runner, concurrency: 3 });
    expect(results.map((r) => r.workspace)).toEqual(['a', 'b', 'c']);
  });

  it('keeps going after failures; an unexpected error is INTERNAL with a generic message', async () => {
    const { runner, state } = recordingRunner(1);
    const results = await runNightly({
      workspaces: ['bad-1', 'ok-1', 'bad-2', 'ok-2'],
      runWorkspace: runner,
    });
    expect(state.started).toHaveLength(4);
    expect(results.map((r) => r.ok)).toEqual([false, true, false, true]);
    expect(results[0]).toMatchObject({ ok: false, failure: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('refuses bad names and bad concurrency before running anything', async () => {
    const { runner, state } = recordingRunner(1);
    await expect(runNightly({ workspaces: ['ok', '../etc'], runWorkspace: runner })).rejects.toBeInstanceOf(
      InvalidWorkspaceError,
    );
    await expect(runNightly({ workspaces: ['ok'], runWorkspace: runner, concurrency: 0 })).rejects.toThrow(
      RangeError,
    );
    expect(state.started).toEqual([]);
  });

  it('after the deadline: running workspaces fail as DEADLINE and the rest are not started', async () => {
    const controller = new AbortController();
    const started: string[] = [];
    const runner: WorkspaceRunner = (workspace, signal) => {
      started.push(workspace);
      return new Promise((_, reject) => {
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    };
    const run = runNightly({ workspaces: names(5), runWorkspace: runner, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const results = await run;
    expect(started).toEqual(['ws-0', 'ws-1']);
    expect(results.map((r) => !r.ok && r.failure)).toEqual(Array(5).fill(DEADLINE_FAILURE));
  });
});

describe('the deadline', () => {
  it('stops a minute before the timeout, or a tenth of the time left when that is short', () => {
    expect(stopMarginMs(900_000)).toBe(60_000);
    expect(stopMarginMs(100_000)).toBe(10_000);
    expect(deadlineSignal(undefined)).toBeUndefined();
  });

  it('aborts once the time left minus the margin has passed', async () => {
    const signal = deadlineSignal({ getRemainingTimeInMillis: () => 20 });
    expect(signal?.aborted).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(signal?.aborted).toBe(true);
  });
});

describe('choosing a runner', () => {
  it('picks in-process today, whatever the threshold', async () => {
    expect(await chooseRunner({ fanoutThresholdFiles: 1 })('demo')).toBe('in-process');
    expect(await chooseRunner({ fanoutThresholdFiles: undefined })('demo')).toBe('in-process');
  });

  it('dispatches to the chosen kind, and fails the workspace clearly when that kind is missing', async () => {
    const inProcess: WorkspaceRunner = async () => ({ runner: 'in-process' });
    const toStepFunctions = dispatchRunners(async () => 'step-functions', { 'in-process': inProcess });
    await expect(toStepFunctions('big')).rejects.toBeInstanceOf(RunnerUnavailableError);
    const [result] = await runNightly({ workspaces: ['big'], runWorkspace: toStepFunctions });
    expect(result).toMatchObject({ ok: false, failure: { code: 'INTERNAL' } });
    const toInProcess = dispatchRunners(async () => 'in-process', { 'in-process': inProcess });
    expect(await toInProcess('small')).toEqual({ runner: 'in-process' });
  });
});
