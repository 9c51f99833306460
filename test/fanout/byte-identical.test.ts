/**
 * The issue's promise: `--fanout` reproduces the single-process report byte for byte. The same
 * emulator data is reported once by runReport (the reference) and then by the fan-out's local
 * loop (plan, a worker per batch, finalize) into s3rver and into a folder, in both modes, with
 * batches small enough for several of them and part files under and over S3's 5 MiB minimum.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fanoutPrefix } from '../../lib/fanout/layout';
import { runFanoutLocally } from '../../lib/fanout/local-loop';
import { REPORT_FILES } from '../../lib/report/columns';
import { readLatest } from '../../lib/report/latest-pointer';
import { runPrefix } from '../../lib/report/layout';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportMode, ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { S3Store } from '../../lib/store/s3-store';
import type { ComposingStore } from '../../lib/store/store';
import { bytesOf, type FanoutFixture, startFanoutFixture, WORKSPACE } from './fixture';

const MODES: ReportMode[] = ['full', 'summary'];
const LIMITS = { maxFiles: 1000 };

let f: FanoutFixture;
/** The single-process report of each mode: its summary and the bytes of each CSV. */
const reference = {} as Record<ReportMode, { summary: ReportSummary; csv: Map<string, Buffer | undefined> }>;

const csvNames = (mode: ReportMode) =>
  mode === 'full'
    ? [REPORT_FILES.files, REPORT_FILES.failedFiles, REPORT_FILES.sessions]
    : [REPORT_FILES.failedFiles, REPORT_FILES.sessions];

/**
 * Everything but what differs between two runs of the same data (identity, cost, timing, and
 * the comparison, which depends on the runs before: test/fanout/changes-parity.test.ts).
 */
const stable = ({
  run_id,
  generated_at,
  api_requests,
  api_retries,
  duration_ms,
  changes,
  ...rest
}: ReportSummary) => rest;

beforeAll(async () => {
  f = await startFanoutFixture();
  for (const mode of MODES) {
    const store = new FolderStore(await mkdtemp(join(f.dir, `single-${mode}-`)));
    const summary = await runReport({
      client: f.client(),
      workspace: WORKSPACE,
      mode,
      runId: newRunId(),
      target: { store, prefix: '' },
    });
    const csv = new Map(
      await Promise.all(csvNames(mode).map(async (n) => [n, await bytesOf(store, n)] as const)),
    );
    reference[mode] = { summary, csv };
  }
});

afterAll(async () => {
  await f?.close();
});

async function fanout(store: ComposingStore, prefix: string, mode: ReportMode, publishLatest: boolean) {
  const before = f.emulator.stats.requests;
  const run = await runFanoutLocally({
    newClient: f.client,
    store,
    prefix,
    workspace: WORKSPACE,
    runId: prefix === '' ? newRunId() : prefix.split('/').at(-2)!,
    mode,
    publishLatest,
    limits: LIMITS,
    workers: 3,
  });
  return { run, requestsSeen: f.emulator.stats.requests - before };
}

async function expectSameReport(
  store: ComposingStore,
  prefix: string,
  mode: ReportMode,
  summary: ReportSummary,
) {
  for (const name of csvNames(mode)) {
    const bytes = await bytesOf(store, prefix + name);
    expect(bytes, name).toBeDefined();
    expect(bytes!.equals(reference[mode].csv.get(name)!), `${name} differs`).toBe(true);
  }
  expect(await bytesOf(store, `${prefix}${REPORT_FILES.files}`)).toEqual(
    mode === 'full' ? expect.any(Buffer) : undefined,
  );
  expect(stable(summary)).toEqual(stable(reference[mode].summary));
  const stored = JSON.parse((await store.read(prefix + REPORT_FILES.summary))!.body);
  expect(stored).toEqual(summary);
}

describe('fan-out into S3 (s3rver)', () => {
  it.each(MODES)(
    'mode %s: several batches, the same CSV bytes and counts, latest.json moved, scratch gone',
    async (mode) => {
      const store = new S3Store({ client: f.s3.client, bucket: f.s3.bucket, prefix: 'reports/' });
      const prefix = runPrefix(WORKSPACE, newRunId());
      const { run, requestsSeen } = await fanout(store, prefix, mode, true);

      expect(run.plan.batches).toBeGreaterThanOrEqual(4);
      await expectSameReport(store, prefix, mode, run.summary);
      // The plan's and every worker's requests, and nothing else, are the run's.
      expect(run.summary.api_requests).toBe(requestsSeen);
      expect(run.summary.warnings).toEqual([{ session_id: expect.any(String), code: 'SESSION_NOT_FOUND' }]);
      expect(run.latest).toBe('updated');
      expect((await readLatest(store, WORKSPACE))?.prefix).toBe(prefix);
      expect(await store.list(fanoutPrefix(prefix))).toEqual([]);
      expect(await f.pendingUploads()).toBe(0);
      // Failed rows are a few per batch: streamed. In mode full the long names make parts of
      // files.csv pass 5 MiB: those are copied inside S3, the others uploaded.
      expect(run.composed[REPORT_FILES.failedFiles]).toEqual({ strategy: 'stream' });
      if (mode === 'full') {
        expect(run.composed[REPORT_FILES.files]).toEqual({
          strategy: 'multipart-copy',
          uploadedParts: expect.any(Number),
          copiedParts: expect.any(Number),
        });
        const files = run.composed[REPORT_FILES.files] as { uploadedParts: number; copiedParts: number };
        expect(files.copiedParts).toBeGreaterThanOrEqual(1);
        expect(files.uploadedParts).toBeGreaterThanOrEqual(1);
      }
    },
  );
});

describe('fan-out into a folder', () => {
  it.each(MODES)('mode %s: the same CSV bytes and counts, and only the report files left', async (mode) => {
    const dir = await mkdtemp(join(f.dir, `fanout-${mode}-`));
    const store = new FolderStore(dir);
    const { run } = await fanout(store, '', mode, false);

    expect(run.plan.batches).toBeGreaterThanOrEqual(4);
    expect(run.latest).toBeUndefined();
    await expectSameReport(store, '', mode, run.summary);
    expect((await readdir(dir)).sort()).toEqual([...csvNames(mode), REPORT_FILES.summary].sort());
  });
});
