/**
 * changes.csv, summary.json `changes` and `stuck`, and the sessions.csv `stuck` column as real
 * runs write them: the emulator over HTTP, s3rver through the SDK, runs published in the dated
 * layout so each compares with what latest.json pointed at before it. The data moves one night
 * forward between the runs (advanceNight); every expectation is computed from the datasets
 * before and after the night (test/support/expected-changes, truth), not from the report.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceNight, type NightChanges } from '../../emulator/advance-night';
import type { EmulatorSession } from '../../emulator/dataset';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import { CHANGE_COLUMNS } from '../../lib/report/changes';
import { readLatest } from '../../lib/report/latest-pointer';
import type { PreviousRun } from '../../lib/report/previous-run';
import { type PublishedRun, publishReport } from '../../lib/report/publish';
import type { ReportMode } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import { S3Store } from '../../lib/store/s3-store';
import { expectedChangeRows, expectedCounts, expectedNewlyFailed } from '../support/expected-changes';
import { expectedStuck, runStartOf } from '../support/truth';

/** Sessions are created up to 90 days before the data's "now": a month splits them. */
const HOURS = 720;
let emulator: RunningEmulator;
let s3: LocalS3;
let dir: string;
let night: NightChanges;
let before: EmulatorSession[];
let after: EmulatorSession[];
const first = {} as Record<ReportMode, PublishedRun>;
const second = {} as Record<ReportMode, PublishedRun>;

/** One store per mode, so each mode's runs compare with that mode's previous run. */
const storeOf = (name: string) => new S3Store({ client: s3.client, bucket: s3.bucket, prefix: `${name}/` });
const client = () => new UploadSessionsClient({ baseUrl: emulator.url, apiKey: 'k', baseDelayMs: 1 });
const publish = (mode: ReportMode, store = storeOf(mode), previous?: PreviousRun) =>
  publishReport({ client: client(), store, workspace: 'demo', mode, stuckAfterHours: HOURS, previous });

async function csvRowsOf(store: S3Store, key: string): Promise<string[][]> {
  const text = (await store.read(key))!.body;
  expect(text.endsWith('\r\n')).toBe(true);
  return Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n' }).data;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'run-changes-'));
  // Data as of now, so the stuck threshold falls among the sessions, not before or after all.
  emulator = await startEmulator({ port: 0, seed: 23, sessions: 40, maxFiles: 260, now: new Date() });
  s3 = await startLocalS3({ directory: join(dir, 's3') });
  const sessions = emulator.dataset.workspaces.get('demo')!;
  before = structuredClone(sessions);
  for (const mode of ['full', 'summary'] as const) first[mode] = await publish(mode);
  night = advanceNight(emulator.dataset, { seed: 9 });
  after = structuredClone(sessions);
  for (const mode of ['full', 'summary'] as const) second[mode] = await publish(mode);
}, 60_000);

afterAll(async () => {
  await Promise.all([emulator?.close(), s3?.close()]);
  await rm(dir, { recursive: true, force: true });
});

describe('the first run of a workspace', () => {
  it.each(['full', 'summary'] as const)(
    'mode %s: no changes.csv, and summary.json says why',
    async (mode) => {
      const run = first[mode];
      const store = storeOf(mode);
      expect(run.summary.changes).toEqual({
        unavailable: `no previous complete run of workspace "demo" in ${store.location}`,
      });
      expect(await store.list(`${run.prefix}changes.csv`)).toEqual([]);
      expect(Object.keys(run.keys)).not.toContain('changes.csv');
    },
  );
});

describe('the run after a night', () => {
  it('mode full: every change of every file, exactly, against the run latest.json pointed at', async () => {
    const run = second.full;
    const rows = await csvRowsOf(storeOf('full'), run.keys['changes.csv']!);
    expect(rows[0]).toEqual([...CHANGE_COLUMNS]);
    const expected = expectedChangeRows(before, after, 'all');
    expect(rows.slice(1)).toEqual(expected);
    expect(run.summary.changes).toEqual({
      previous_run_id: first.full.summary.run_id,
      scope: 'all',
      ...expectedCounts(expected),
      newly_failed_by_reason: expectedNewlyFailed(before, after),
    });
    // What the night did, counted as it did it.
    expect(run.summary.changes).toMatchObject({
      added: night.added + night.newSession.files,
      removed: night.removed + (night.removedSession?.files ?? 0),
      status_changed: night.finished + night.failed,
    });
    expect(night.removedSession).toBeDefined();
  });

  it('mode summary: the FAILED files only (scope failed_only), exactly', async () => {
    const run = second.summary;
    const rows = await csvRowsOf(storeOf('summary'), run.keys['changes.csv']!);
    const expected = expectedChangeRows(before, after, 'failed_only');
    expect(rows.slice(1)).toEqual(expected);
    expect(run.summary.changes).toEqual({
      previous_run_id: first.summary.summary.run_id,
      scope: 'failed_only',
      ...expectedCounts(expected),
      newly_failed_by_reason: expectedNewlyFailed(before, after),
    });
    expect(expected.length).toBeGreaterThan(0);
  });

  it.each(['full', 'summary'] as const)(
    'mode %s: sessions.csv says which sessions are stuck, summary.json how many',
    async (mode) => {
      const run = second[mode];
      const rows = await csvRowsOf(storeOf(mode), run.keys['sessions.csv']!);
      const header = rows[0]!;
      expect(header.at(-1)).toBe('stuck');
      const expected = expectedStuck(after, runStartOf(run.summary), HOURS);
      const stuckCells = new Map(rows.slice(1).map((row) => [row[0]!, row.at(-1)]));
      expect(stuckCells.size).toBe(after.length);
      for (const session of after) {
        expect(stuckCells.get(session.session_id), session.session_id).toBe(
          String(expected.ids.has(session.session_id)),
        );
      }
      expect(run.summary.stuck).toEqual(expected.summary);
      // The threshold splits the sessions with pending files: some are stuck, some not yet.
      const pending = after.filter((s) => s.files.some((f) => f.ingestion_status === 'PENDING'));
      expect(expected.summary.sessions).toBeGreaterThan(0);
      expect(expected.summary.sessions).toBeLessThan(pending.length);
    },
  );

  it('links changes.csv with the other files of a compared run', () => {
    expect(Object.keys(second.full.keys).sort()).toEqual([
      'changes.csv',
      'failed_files.csv',
      'files.csv',
      'sessions.csv',
      'summary.json',
    ]);
    expect(Object.keys(second.summary.keys).sort()).toEqual([
      'changes.csv',
      'failed_files.csv',
      'sessions.csv',
      'summary.json',
    ]);
  });
});

describe('a previous run named explicitly', () => {
  it('an S3 run folder of another store: the same changes as against latest.json', async () => {
    const previousStore = storeOf(`full/${first.full.prefix.slice(0, -1)}`);
    const run = await publish('full', storeOf('elsewhere'), {
      kind: 'folder',
      store: previousStore,
      prefix: '',
    });
    const rows = await csvRowsOf(storeOf('elsewhere'), run.keys['changes.csv']!);
    expect(rows.slice(1)).toEqual(expectedChangeRows(before, after, 'all'));
    expect(run.summary.changes).toMatchObject({ previous_run_id: first.full.summary.run_id, scope: 'all' });
  });

  it('none: no comparison, and summary.json says it was turned off', async () => {
    const store = storeOf('off');
    await publish('full', store);
    const run = await publish('full', store, { kind: 'none' });
    expect(run.summary.changes).toEqual({ unavailable: 'the comparison with a previous run was turned off' });
    expect(await store.list(`${run.prefix}changes.csv`)).toEqual([]);
  });
});

describe('a previous run found damaged half way', () => {
  it('drops changes.csv, says why in summary.json, and the run still completes', async () => {
    // The first run's files, its first session's rows moved to the end of files.csv.
    const damaged = await mkdtemp(join(dir, 'damaged-'));
    const source = storeOf('full');
    for (const name of ['summary.json', 'sessions.csv', 'failed_files.csv']) {
      await writeFile(join(damaged, name), (await source.read(first.full.prefix + name))!.body);
    }
    const [header, ...rows] = (await source.read(`${first.full.prefix}files.csv`))!.body.split('\r\n');
    const firstSession = rows[0]!.split(',')[0]!;
    const moved = [
      ...rows.filter((r) => r && !r.startsWith(firstSession)),
      ...rows.filter((r) => r.startsWith(firstSession)),
    ];
    await writeFile(join(damaged, 'files.csv'), [header, ...moved, ''].join('\r\n'));
    const previous: PreviousRun = { kind: 'folder', store: new FolderStore(damaged), prefix: '' };
    const store = storeOf('damaged');
    const run = await publish('full', store, previous);
    expect(run.summary.complete).toBe(true);
    expect(run.summary.changes).toEqual({
      unavailable: `previous run ${first.full.summary.run_id} could not be compared: previous run ${first.full.summary.run_id}: a file row of session ${firstSession} is out of its sessions.csv order`,
    });
    expect(await store.list(`${run.prefix}changes.csv`)).toEqual([]);
    expect(Object.keys(run.keys)).not.toContain('changes.csv');
    const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });
});

describe('a run that fails', () => {
  it('leaves no changes.csv (nor any other CSV), and latest.json where it was', async () => {
    const store = storeOf('full');
    const latestBefore = await readLatest(store, 'demo');
    let filesRequests = 0;
    emulator.faults.onRequest = (request) => {
      // Half way through the sessions the API starts answering without a required field.
      if (request.endpoint === 'files' && ++filesRequests === 20) {
        emulator.faults.dropField = { endpoint: 'files', field: 'name' };
      }
    };
    try {
      const error = await publish('full').catch((e: unknown) => e);
      expect(error).toMatchObject({ failure: { code: 'INVALID_RESPONSE' } });
    } finally {
      emulator.faults.onRequest = undefined;
      emulator.faults.dropField = undefined;
    }
    const latest = await readLatest(store, 'demo');
    expect(latest).toEqual(latestBefore);
    const runs = (await store.list('demo/')).filter((key) => !key.includes(latestBefore!.run_id));
    const failed = runs.filter(
      (key) => !key.includes(first.full.summary.run_id) && key.endsWith('summary.json'),
    );
    expect(failed).toHaveLength(1);
    const prefix = failed[0]!.slice(0, -'summary.json'.length);
    expect(await store.list(prefix)).toEqual([`${prefix}summary.json`]);
    const summary = JSON.parse((await store.read(`${prefix}summary.json`))!.body);
    expect(summary).toMatchObject({ complete: false });
    expect(summary.changes).toBeUndefined();
    const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });
});
