/**
 * A fan-out run that cannot complete must not look complete: no CSVs, latest.json where it was,
 * and a summary.json with `complete: false` naming the step or batch and the reason. A batch
 * that fails and then succeeds on retry (Step Functions retries items) leaves a complete run.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { finalizeFanout } from '../../lib/fanout/finalize';
import { countsKey, errorKey, manifestKey } from '../../lib/fanout/layout';
import { runFanoutLocally } from '../../lib/fanout/local-loop';
import { Manifest } from '../../lib/fanout/manifest';
import { planFanout } from '../../lib/fanout/plan';
import { runBatch } from '../../lib/fanout/worker';
import { REPORT_FILES } from '../../lib/report/columns';
import { type Failure, ReportFailedError } from '../../lib/report/failure';
import { advanceLatest, readLatest } from '../../lib/report/latest-pointer';
import { runPrefix } from '../../lib/report/layout';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import { type ReportMode, ReportSummary } from '../../lib/report/summary';
import { S3Store } from '../../lib/store/s3-store';
import { bytesOf, type FanoutFixture, startFanoutFixture, WORKSPACE } from './fixture';

const LIMITS = { maxFiles: 2500 };
let f: FanoutFixture;
let store: S3Store;

beforeAll(async () => {
  // The emulator logs each injected failure's stack (a 500 from its error handler): expected noise.
  vi.spyOn(console, 'error').mockImplementation(() => {});
  f = await startFanoutFixture({ longSessions: 0 });
  store = new S3Store({ client: f.s3.client, bucket: f.s3.bucket, prefix: 'reports/' });
});
afterEach(() => {
  f.emulator.faults.onRequest = undefined;
});
afterAll(async () => {
  vi.restoreAllMocks();
  await f?.close();
});

/** Makes one session's file listing fail (500 on every attempt), but not the plan's count. */
function breakSession(sessionId: string) {
  f.emulator.faults.onRequest = (request) => {
    if (request.sessionId === sessionId && request.query.limit !== '1') throw new Error('injected failure');
  };
}

async function summaryAt(prefix: string): Promise<ReportSummary> {
  return ReportSummary.parse(JSON.parse((await store.read(`${prefix}${REPORT_FILES.summary}`))!.body));
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the run to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(ReportFailedError);
      return (error as ReportFailedError).failure;
    },
  );

describe('a batch that fails', () => {
  it('fails the run: summary.json says which batch and why, no CSVs, latest.json unmoved, scratch kept', async () => {
    const older = newRunId(new Date('2026-01-01T00:00:00Z'));
    await advanceLatest(store, { workspace: WORKSPACE, run_id: older, generated_at: 'x', prefix: 'old/' });
    const sessions = f.emulator.dataset.workspaces.get(WORKSPACE)!;
    breakSession(
      sessions.find((s) => s.files.length > 0 && !f.emulator.faults.vanishedSessions.has(s.session_id))!
        .session_id,
    );
    const runId = newRunId();
    const prefix = runPrefix(WORKSPACE, runId);

    const failure = await failureOf(
      runFanoutLocally({
        newClient: f.client,
        store,
        prefix,
        workspace: WORKSPACE,
        runId,
        mode: 'full',
        publishLatest: true,
        limits: LIMITS,
      }),
    );

    expect(failure.code).toBe('API_SERVER_ERROR');
    expect(failure.message).toMatch(/^batch \d{5} of \d+ failed: /);
    const summary = await summaryAt(prefix);
    expect(summary).toMatchObject({ complete: false, error: failure, run_id: runId });
    expect(summary.api_requests).toBeGreaterThan(0);
    expect((await readLatest(store, WORKSPACE))?.run_id).toBe(older);
    const keys = await store.list(prefix);
    expect(keys.filter((k) => !k.includes('/fanout/'))).toEqual([`${prefix}${REPORT_FILES.summary}`]);
    expect(keys.some((k) => /\/fanout\/error-\d{5}\.json$/.test(k))).toBe(true);
    expect(await f.pendingUploads()).toBe(0);
  });
});

describe('a plan that fails', () => {
  it('records why in summary.json (WORKSPACE_NOT_FOUND) and leaves error-plan.json', async () => {
    const runId = newRunId();
    const prefix = runPrefix('nope', runId);
    const failure = await failureOf(
      runFanoutLocally({
        newClient: f.client,
        store,
        prefix,
        workspace: 'nope',
        runId,
        mode: 'summary',
        publishLatest: true,
      }),
    );
    expect(failure.code).toBe('WORKSPACE_NOT_FOUND');
    expect(await summaryAt(prefix)).toMatchObject({ complete: false, mode: 'summary', error: failure });
    expect(await store.read(errorKey(prefix, 'plan'))).toBeDefined();
    expect(await readLatest(store, 'nope')).toBeUndefined();
  });
});

describe('finalize', () => {
  async function planned(mode: ReportMode = 'summary') {
    const runId = newRunId();
    const prefix = runPrefix(WORKSPACE, runId);
    const client = f.client();
    const plan = await planFanout({
      client,
      store,
      prefix,
      workspace: WORKSPACE,
      runId,
      mode,
      limits: LIMITS,
    });
    const manifest = Manifest.parse(JSON.parse((await store.read(manifestKey(prefix)))!.body));
    const run = (index: number) =>
      runBatch({ client: f.client(), store, prefix, workspace: WORKSPACE, mode, batch: manifest[index]! });
    /** Every batch at once, but `except`. */
    const runAll = (except?: number) =>
      Promise.all(manifest.flatMap((_, i) => (i === except ? [] : [run(i)])));
    return { plan, prefix, manifest, run, runAll };
  }

  it('names a batch that left neither counts nor a failure record (a worker killed mid-way)', async () => {
    const { plan, prefix, manifest, runAll } = await planned();
    await runAll(manifest.length - 1);
    const last = manifest.length - 1;
    const failure = await failureOf(finalizeFanout({ store, prefix, plan, publishLatest: true }));
    expect(failure).toEqual({
      code: 'BATCH_FAILED',
      message: `batch ${String(last).padStart(5, '0')} of ${manifest.length} did not finish (it left no counts)`,
    });
    expect(await store.read(`${prefix}${REPORT_FILES.sessions}`)).toBeUndefined();
  });

  it('fails with the given failure even when every batch finished (the map itself gave up)', async () => {
    const { plan, prefix, runAll } = await planned();
    await runAll();
    const given: Failure = { code: 'WORKFLOW_FAILED', message: 'the fan-out failed with States.Timeout' };
    expect(
      await failureOf(finalizeFanout({ store, prefix, plan, publishLatest: true, failure: given })),
    ).toEqual(given);
    expect(await summaryAt(prefix)).toMatchObject({
      complete: false,
      error: given,
      files: { total: plan.files },
    });
  });

  it('can run again (a retried Finish): keeps the complete summary, still moves latest.json, never fails it', async () => {
    const { plan, prefix, runAll } = await planned();
    await runAll();
    // The first attempt died after summary.json, before latest.json (and its scratch removal).
    const first = await finalizeFanout({ store, prefix, plan, publishLatest: false, removeScratch: false });
    const again = await finalizeFanout({ store, prefix, plan, publishLatest: true });
    expect(again.summary).toEqual(first.summary);
    expect(again.latest).toBe('updated');
    expect((await readLatest(store, WORKSPACE))?.run_id).toBe(plan.runId);
    // And once more, with the scratch gone: still the complete run, not "batch did not finish".
    const third = await finalizeFanout({ store, prefix, plan, publishLatest: true });
    expect(third.summary).toEqual(first.summary);
    expect(await summaryAt(prefix)).toEqual(first.summary);
  });

  it('completes after a batch failed once and was retried: same keys, the same report as runReport', async () => {
    const { plan, prefix, manifest, run, runAll } = await planned('full');
    const target = manifest[1]!.sessions.at(-1)!.session_id;
    breakSession(target);
    await expect(run(1)).rejects.toBeInstanceOf(ReportFailedError);
    expect(await store.read(countsKey(prefix, 1))).toBeUndefined();
    f.emulator.faults.onRequest = undefined;
    await runAll();
    const done = await finalizeFanout({ store, prefix, plan, publishLatest: true });
    expect(done.summary.complete).toBe(true);

    const reference = new S3Store({ client: f.s3.client, bucket: f.s3.bucket, prefix: 'reference/' });
    await runReport({
      client: f.client(),
      workspace: WORKSPACE,
      mode: 'full',
      runId: plan.runId,
      target: { store: reference, prefix: '' },
    });
    for (const name of [REPORT_FILES.files, REPORT_FILES.failedFiles, REPORT_FILES.sessions]) {
      expect((await bytesOf(store, prefix + name))!.equals((await bytesOf(reference, name))!), name).toBe(
        true,
      );
    }
  });
});
