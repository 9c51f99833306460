/**
 * Never a silent partial: a reader must never take a half run for a whole one. A run that cannot complete, whichever entry point started
 * it (library, CLI, HTTP "run now", nightly handler), leaves latest.json byte for byte as it
 * was, leaves a run folder holding only summary.json with `complete: false` and the error, and
 * fails loudly: a rejection, exit code 1, an HTTP run status `failed`, a thrown nightly error. Reruns on the
 * same day make new runs, and latest.json only moves forward by run id, also when many runs
 * publish at once (s3rver with conditional writes, through the real AWS SDK).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { NightlyRunFailedError } from '../../functions/nightly/nightly-outcome';
import { FILES_ENDPOINT } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import { advanceLatest, LatestPointer, readLatest } from '../../lib/report/latest-pointer';
import { latestKey, runPrefix } from '../../lib/report/layout';
import { publishReport } from '../../lib/report/publish';
import { newRunId, runDate } from '../../lib/report/run-id';
import { ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import type { ReportStore, StoredObject } from '../../lib/store/store';
import { runToEnd } from '../http/run-to-end';
import { resetFaults } from './report-fixture';
import {
  captureStdio,
  cliRun,
  httpApp,
  lambdaContext,
  nightlyHandler,
  type Stack,
  stackEnv,
  startStack,
  stubAwsEnv,
} from './stack-fixture';

const KEY = 'never-partial-key-2b8d4f';
let stack: Stack;
let folder: string;

beforeAll(async () => {
  stack = await startStack(KEY, {
    workspaces: ['via-lib', 'via-cli', 'via-http', 'via-nightly', 'rerun', 'race', 'pointer'],
  });
  stubAwsEnv(stack);
  folder = await mkdtemp(join(tmpdir(), 'never-partial-'));
});
afterEach(() => resetFaults(stack.emulator));
afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.close();
  await rm(folder, { recursive: true, force: true });
});

const publish = (workspace: string, runId?: string) =>
  publishReport({ client: stack.client(), store: stack.store, workspace, mode: 'full', runId });

/** From the 4th files request of `workspace` on, every files response lacks `name`: drift mid-run. */
function driftMidRun(workspace: string): void {
  let filesRequests = 0;
  stack.emulator.faults.onRequest = (request) => {
    if (request.workspace !== workspace || request.endpoint !== 'files') return;
    if (++filesRequests > 3) stack.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
  };
}

/** How each entry point fails, asserted where it shows: the thrown error, exit code, status. */
const ENTRY_POINTS: { name: string; workspace: string; failLoudly(): Promise<void> }[] = [
  {
    name: 'library (publishReport) rejects with the failure',
    workspace: 'via-lib',
    failLoudly: async () => {
      const error = await publish('via-lib').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ReportFailedError);
      expect((error as ReportFailedError).failure.code).toBe('INVALID_RESPONSE');
    },
  },
  {
    name: 'CLI exits 1 with one line naming the field',
    workspace: 'via-cli',
    failLoudly: async () => {
      const { code, out, err } = await cliRun(stack, 'via-cli');
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toMatch(
        /^error: invalid response from GET \/workspaces\/\{w\}\/upload_sessions\/\{id\}\/files: data\[\d+\]\.name: [^\n]+\n$/,
      );
    },
  },
  {
    name: 'HTTP run-now answers 202, and the run status ends failed with the error',
    workspace: 'via-http',
    failLoudly: async () => {
      const run = await runToEnd(httpApp(stack).app, '/workspaces/via-http/reports');
      expect(run.status).toBe('failed');
      expect(run.error?.code).toBe('INVALID_RESPONSE');
    },
  },
  {
    name: 'nightly handler throws, naming the workspace and the failure',
    workspace: 'via-nightly',
    failLoudly: async () => {
      const output = captureStdio();
      try {
        const handler = nightlyHandler(stackEnv(stack));
        const error = await handler({ workspaces: ['via-nightly'] }, lambdaContext()).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(NightlyRunFailedError);
        expect((error as Error).message).toBe(
          'nightly run failed for 1 of 1 workspaces: via-nightly (INVALID_RESPONSE)',
        );
      } finally {
        output.restore();
      }
    },
  },
];

describe('a run that cannot complete', () => {
  it.each(ENTRY_POINTS)('$name; latest.json untouched, run folder marked incomplete', async (entry) => {
    const good = await publish(entry.workspace);
    const latestBefore = await stack.latestRaw(entry.workspace);
    const keysBefore = new Set(await stack.keys(entry.workspace));
    driftMidRun(entry.workspace);

    await entry.failLoudly();

    expect(await stack.latestRaw(entry.workspace), 'latest.json byte for byte').toBe(latestBefore);
    expect((await readLatest(stack.store, entry.workspace))?.run_id).toBe(good.summary.run_id);
    // Besides the run's status.json and the workspace's lease, for the entry points that keep them.
    const added = (await stack.keys(entry.workspace)).filter(
      (key) => !keysBefore.has(key) && !/\/(status\.json|run\.lease)$/.test(key),
    );
    expect(added, 'only summary.json of the failed run').toEqual([
      expect.stringMatching(/^via-[a-z]+\/\d{4}-\d{2}-\d{2}\/\d{8}T\d{9}Z-[0-9a-f]{6}\/summary\.json$/),
    ]);
    const summary = ReportSummary.parse(JSON.parse((await stack.store.read(added[0]!))!.body));
    expect(summary).toMatchObject({ workspace: entry.workspace, complete: false });
    expect(summary.error?.code).toBe('INVALID_RESPONSE');
    expect(summary.error?.message).toContain(FILES_ENDPOINT);
    expect(summary.error?.message).toMatch(/\.name\b/);
    const uploads = await stack.s3.client.send(new ListMultipartUploadsCommand({ Bucket: stack.s3.bucket }));
    expect(uploads.Uploads ?? [], 'no half-written CSV left as a multipart upload').toEqual([]);
  });
});

describe('reruns on the same day', () => {
  it('make a new run each time, from every entry point; latest.json follows the newest', async () => {
    const runIds: string[] = [];
    const expectLatestIsNewest = async () => {
      expect(new Set(runIds).size).toBe(runIds.length);
      expect((await readLatest(stack.store, 'rerun'))?.run_id).toBe(runIds.at(-1));
    };
    runIds.push((await publish('rerun')).summary.run_id);
    await expectLatestIsNewest();

    const cli = await cliRun(stack, 'rerun');
    expect(cli.code).toBe(0);
    runIds.push(/\/rerun\/\d{4}-\d{2}-\d{2}\/([^/]+)\/$/m.exec(cli.out.trim())![1]!);
    await expectLatestIsNewest();

    const run = await runToEnd(httpApp(stack).app, '/workspaces/rerun/reports');
    expect(run.status).toBe('complete');
    runIds.push(run.run_id);
    await expectLatestIsNewest();

    const output = captureStdio();
    try {
      const nightly = await nightlyHandler(stackEnv(stack))({ workspaces: ['rerun'] }, lambdaContext());
      runIds.push(nightly.workspaces[0]!.runId!);
    } finally {
      output.restore();
    }
    await expectLatestIsNewest();

    expect([...runIds].sort(), 'run ids sort by time').toEqual(runIds);
    for (const runId of runIds) {
      const summary = JSON.parse((await stack.store.read(`${runPrefix('rerun', runId)}summary.json`))!.body);
      expect(summary).toMatchObject({ run_id: runId, complete: true });
    }
    expect(new Set(runIds.map(runDate)).size, 'all on the same day').toBe(1);
  });
});

/** A fixed shuffle of 0..9, so the newest run is neither first nor last to start. */
const SHUFFLED = [6, 2, 9, 0, 4, 1, 8, 3, 7, 5];
const idsAt = (base: number) => SHUFFLED.map((i) => newRunId(new Date(base + i * 1000)));
const pointerTo = (workspace: string, runId: string) => ({
  workspace,
  run_id: runId,
  generated_at: new Date().toISOString(),
  prefix: runPrefix(workspace, runId),
});

describe.each([
  { store: 's3rver', open: () => stack.store as ReportStore },
  { store: 'a folder', open: () => new FolderStore(folder) as ReportStore },
])('latest.json only moves forward, by run id ($store)', ({ open }) => {
  it('10 concurrent advances with shuffled run ids (3 rounds): valid JSON naming the greatest', async () => {
    const store = open();
    const rounds = [Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2), Date.UTC(2025, 11, 31)].map(idsAt);
    const newest = rounds[1]!.toSorted().at(-1)!;
    for (const [round, ids] of rounds.entries()) {
      const results = await Promise.all(ids.map((id) => advanceLatest(store, pointerTo('pointer', id))));
      const greatest = ids.toSorted().at(-1)!;
      const pointer = LatestPointer.parse(JSON.parse((await store.read(latestKey('pointer')))!.body));
      if (round < 2) {
        expect(pointer.run_id).toBe(greatest);
        expect(results[ids.indexOf(greatest)]).toBe('updated');
      } else {
        expect(pointer.run_id, 'an older round moves nothing').toBe(newest);
        expect(results.every((r) => r === 'newer-run-kept')).toBe(true);
      }
    }
  });

  it('readers during concurrent writes see a whole latest.json, never a torn or hung read', async () => {
    const store = open();
    const key = latestKey('torn');
    const bodies = idsAt(Date.UTC(2026, 1, 1)).map(
      (id) => `${JSON.stringify(pointerTo('torn', id), null, 2)}\n`,
    );
    await store.write(key, bodies[0]!, { contentType: 'application/json' });
    const reads: string[] = [];
    await Promise.all([
      ...bodies.map((body) => store.write(key, body, { contentType: 'application/json' })),
      ...bodies.map(async () => {
        const started = performance.now();
        const read = await store.read(key).catch((error: unknown) => error);
        const ms = Math.round(performance.now() - started);
        if (read instanceof Error) reads.push(`failed after ${ms} ms: ${read.message}`);
        else reads.push(bodies.includes((read as StoredObject).body) ? 'whole' : 'torn');
      }),
    ]);
    expect(reads).toEqual(bodies.map(() => 'whole'));
  });

  it('an older run that finishes last does not move it back', async () => {
    const store = open();
    const newer = newRunId(new Date(Date.UTC(2027, 0, 1)));
    const older = newRunId(new Date(Date.UTC(2026, 6, 1)));
    expect(await advanceLatest(store, pointerTo('pointer', newer))).toBe('updated');
    const before = (await store.read(latestKey('pointer')))!.body;
    expect(await advanceLatest(store, pointerTo('pointer', older))).toBe('newer-run-kept');
    expect((await store.read(latestKey('pointer')))!.body).toBe(before);
  });

  it('a damaged latest.json is repaired by the next complete run', async () => {
    const store = open();
    await store.write(latestKey('pointer'), '{"run_id": ', { contentType: 'application/json' });
    const runId = newRunId();
    expect(await advanceLatest(store, pointerTo('pointer', runId))).toBe('updated');
    expect((await readLatest(store, 'pointer'))?.run_id).toBe(runId);
  });

  it('10 concurrent report runs of one workspace: all complete, latest names the greatest run id', async () => {
    const store = open();
    const ids = idsAt(Date.now());
    const runs = await Promise.all(
      ids.map((runId) =>
        publishReport({ client: stack.client(), store, workspace: 'race', mode: 'summary', runId }),
      ),
    );
    expect(runs.every((run) => run.summary.complete)).toBe(true);
    const greatest = ids.toSorted().at(-1)!;
    expect(runs[ids.indexOf(greatest)]!.latest).toBe('updated');
    const pointer = LatestPointer.parse(JSON.parse((await store.read(latestKey('race')))!.body));
    expect(pointer).toMatchObject({
      workspace: 'race',
      run_id: greatest,
      prefix: runPrefix('race', greatest),
    });
    const summaries = (await store.list('race/')).filter((key) => key.endsWith('/summary.json'));
    expect(summaries).toHaveLength(10);
  });
});
