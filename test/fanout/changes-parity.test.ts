/**
 * The fan-out compares with the previous run as the single-process report does: for the same
 * data and baseline, the same changes.csv and sessions.csv (its stuck column) byte for byte, and
 * the same summary.json `changes` and `stuck`. Into a folder with a named baseline, and into
 * s3rver where each path compares with what its own latest.json pointed at. Both modes. The
 * fixture's data has a session that vanishes (not compared) and long names with CSV specials.
 */
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceNight } from '../../emulator/advance-night';
import { runFanoutLocally } from '../../lib/fanout/local-loop';
import { REPORT_FILES } from '../../lib/report/columns';
import { runPrefix } from '../../lib/report/layout';
import type { PreviousRun } from '../../lib/report/previous-run';
import { publishReport } from '../../lib/report/publish';
import { newRunId } from '../../lib/report/run-id';
import { runReport } from '../../lib/report/run-report';
import type { ReportMode, ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { S3Store } from '../../lib/store/s3-store';
import type { ComposingStore } from '../../lib/store/store';
import { bytesOf, type FanoutFixture, startFanoutFixture, WORKSPACE } from './fixture';

/** The data is of 2026-11-20 and runs later: 15 days splits its sessions into stuck and not. */
const HOURS = 360;
const MODES: ReportMode[] = ['full', 'summary'];
let f: FanoutFixture;
const baselines = {} as Record<ReportMode, FolderStore>;
const s3Store = (name: string) =>
  new S3Store({ client: f.s3.client, bucket: f.s3.bucket, prefix: `${name}/` });

async function single(store: ComposingStore, prefix: string, mode: ReportMode, previous?: PreviousRun) {
  return runReport({
    client: f.client(),
    workspace: WORKSPACE,
    mode,
    runId: prefix ? prefix.split('/').at(-2)! : newRunId(),
    target: { store, prefix },
    previous,
    stuckAfterHours: HOURS,
  });
}

async function fanout(store: ComposingStore, prefix: string, mode: ReportMode, previous?: PreviousRun) {
  const run = await runFanoutLocally({
    newClient: f.client,
    store,
    prefix,
    workspace: WORKSPACE,
    runId: prefix ? prefix.split('/').at(-2)! : newRunId(),
    mode,
    publishLatest: prefix !== '',
    limits: { maxFiles: 1500 },
    workers: 3,
    previous,
    stuckAfterHours: HOURS,
  });
  expect(run.plan.batches).toBeGreaterThanOrEqual(3);
  return run.summary;
}

async function expectSame(
  stores: [ComposingStore, ComposingStore],
  prefixes: [string, string],
  summaries: [ReportSummary, ReportSummary],
) {
  for (const name of [REPORT_FILES.changes, REPORT_FILES.sessions]) {
    const [a, b] = await Promise.all([0, 1].map((i) => bytesOf(stores[i]!, prefixes[i]! + name)));
    expect(a, name).toBeDefined();
    expect(a!.equals(b!), `${name} differs`).toBe(true);
  }
  const comparable = (s: ReportSummary) => ({ ...s.changes, previous_run_id: undefined });
  expect(comparable(summaries[1])).toEqual(comparable(summaries[0]));
  expect(summaries[1].stuck).toEqual(summaries[0].stuck);
  expect(summaries[0].stuck!.sessions).toBeGreaterThan(0);
  expect(summaries[0].stuck!.sessions).toBeLessThan(summaries[0].sessions.total);
  const changes = summaries[0].changes as { added: number; uncompared_sessions?: string[] };
  expect(changes.added).toBeGreaterThan(0);
  expect(changes.uncompared_sessions).toEqual([...f.emulator.faults.vanishedSessions]);
}

beforeAll(async () => {
  f = await startFanoutFixture();
  for (const mode of MODES) {
    baselines[mode] = new FolderStore(await mkdtemp(join(f.dir, `baseline-${mode}-`)));
    await single(baselines[mode], '', mode, { kind: 'none' });
    // The S3 runs of the night before, one per path, each its store's latest.json.
    await publishReport({ client: f.client(), store: s3Store(`single-${mode}`), workspace: WORKSPACE, mode });
    await fanout(s3Store(`fanout-${mode}`), runPrefix(WORKSPACE, newRunId()), mode);
  }
  advanceNight(f.emulator.dataset, { seed: 5 });
}, 120_000);

afterAll(async () => {
  await f?.close();
});

describe('changes.csv by the fan-out and by one process', () => {
  it.each(MODES)('mode %s, a named baseline, into folders: the same bytes and counts', async (mode) => {
    const previous: PreviousRun = { kind: 'folder', store: baselines[mode], prefix: '' };
    const one = new FolderStore(await mkdtemp(join(f.dir, `single-${mode}-`)));
    const many = new FolderStore(await mkdtemp(join(f.dir, `fanout-${mode}-`)));
    const summaries: [ReportSummary, ReportSummary] = [
      await single(one, '', mode, previous),
      await fanout(many, '', mode, previous),
    ];
    await expectSame([one, many], ['', ''], summaries);
    expect(summaries[1].changes).toEqual(summaries[0].changes);
  });

  it.each(MODES)(
    'mode %s, into S3, each against its own latest.json: the same bytes and counts',
    async (mode) => {
      const stores: [S3Store, S3Store] = [s3Store(`single-${mode}`), s3Store(`fanout-${mode}`)];
      const prefixes: [string, string] = [runPrefix(WORKSPACE, newRunId()), runPrefix(WORKSPACE, newRunId())];
      const summaries: [ReportSummary, ReportSummary] = [
        await single(stores[0], prefixes[0], mode),
        await fanout(stores[1], prefixes[1], mode),
      ];
      await expectSame(stores, prefixes, summaries);
      expect(await f.pendingUploads()).toBe(0);
    },
  );
});
