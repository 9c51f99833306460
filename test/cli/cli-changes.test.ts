/**
 * The CLI's comparison with a previous run and its stuck threshold, against the emulator over
 * real HTTP: `npm run report -- … --out DIR2 --previous DIR1` as a user types it (the bundle,
 * in its own process), then --previous none, s3:// (s3rver), the reused folder's own run, and
 * the flags' and variable's errors (exit 2, one line naming them). Expected rows and counts come
 * from the emulator's datasets before and after a night (advanceNight), never from the report.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Papa from 'papaparse';
import { beforeAll, describe, expect, it } from 'vitest';
import { advanceNight } from '../../emulator/advance-night';
import type { EmulatorSession } from '../../emulator/dataset';
import { folderPrevious } from '../../functions/cli/previous-run';
import { runCli } from '../../functions/cli/run-cli';
import { readLatest } from '../../lib/report/latest-pointer';
import type { ReportSummary } from '../../lib/report/summary';
import { S3Store } from '../../lib/store/s3-store';
import { capturedCliIo } from '../support/captured-io';
import { s3rverEnv, useCliStand, withProcessEnv } from '../support/cli-stand';
import { expectedChangeRows, expectedCounts, expectedNewlyFailed } from '../support/expected-changes';
import { npmReport } from '../support/npm-report';
import { expectedStuck, runStartOf } from '../support/truth';

const KEY = 'cli-changes-key-3b7d10';
const ROOT = join(import.meta.dirname, '..', '..');
const stand = useCliStand({
  folderPrefix: 'cli-changes-',
  emulator: { seed: 31, sessions: 30, maxFiles: 220, apiKey: KEY, now: new Date() },
  s3: true,
});
let before: EmulatorSession[];
let after: EmulatorSession[];
const dir1 = () => join(stand.dir, 'DIR1');
const dir2 = () => join(stand.dir, 'DIR2');

const env = stand.env;

async function csvOf(path: string): Promise<string[][]> {
  const text = await readFile(path, 'utf8');
  return Papa.parse<string[]>(text.slice(0, -2), { newline: '\r\n' }).data;
}
const summaryOf = async (folder: string): Promise<ReportSummary> =>
  JSON.parse(await readFile(join(folder, 'summary.json'), 'utf8'));

beforeAll(async () => {
  before = structuredClone(stand.emulator.dataset.workspaces.get('demo')!);
  const run1 = await npmReport(ROOT, { DEEPSET_API_KEY: KEY, TMPDIR: stand.dir }, [
    '--workspace',
    'demo',
    '--api-url',
    stand.emulator.url,
    '--out',
    dir1(),
    '--quiet',
  ]);
  expect(run1.code, run1.err).toBe(0);
  advanceNight(stand.emulator.dataset, { seed: 3 });
  after = structuredClone(stand.emulator.dataset.workspaces.get('demo')!);
}, 120_000);

describe('npm run report -- --out DIR2 --previous DIR1', () => {
  it('writes changes.csv, summary.json changes and stuck, exact against the data that changed', async () => {
    const hours = 720;
    const args = [
      '--workspace',
      'demo',
      '--api-url',
      stand.emulator.url,
      '--out',
      dir2(),
      '--previous',
      dir1(),
    ];
    const run2 = await npmReport(ROOT, { DEEPSET_API_KEY: KEY, TMPDIR: stand.dir }, [
      ...args,
      '--stuck-after-hours',
      String(hours),
      '--quiet',
    ]);
    expect(run2.code, run2.err).toBe(0);
    expect((await readdir(dir2())).sort()).toEqual([
      'changes.csv',
      'failed_files.csv',
      'files.csv',
      'sessions.csv',
      'summary.json',
    ]);
    const expected = expectedChangeRows(before, after, 'all');
    expect((await csvOf(join(dir2(), 'changes.csv'))).slice(1)).toEqual(expected);
    const summary = await summaryOf(dir2());
    expect(summary.changes).toEqual({
      previous_run_id: (await summaryOf(dir1())).run_id,
      scope: 'all',
      ...expectedCounts(expected),
      newly_failed_by_reason: expectedNewlyFailed(before, after),
    });
    const stuck = expectedStuck(after, runStartOf(summary), hours);
    expect(summary.stuck).toEqual(stuck.summary);
    const sessions = await csvOf(join(dir2(), 'sessions.csv'));
    expect(sessions[0]!.at(-1)).toBe('stuck');
    expect(
      sessions
        .slice(1)
        .filter((row) => row.at(-1) === 'true')
        .map((row) => row[0]),
    ).toEqual(
      sessions
        .slice(1)
        .filter((row) => stuck.ids.has(row[0]!))
        .map((row) => row[0]),
    );
    expect(stuck.summary.sessions).toBeGreaterThan(0);
  });
});

describe('--previous', () => {
  it('none: no changes.csv, and summary.json says the comparison was turned off', async () => {
    const out = join(stand.dir, 'none');
    const { text, io } = capturedCliIo();
    expect(await runCli(['-w', 'demo', '-q', '--out', out, '--previous', 'none'], env(), io)).toBe(0);
    expect(await readdir(out)).not.toContain('changes.csv');
    expect((await summaryOf(out)).changes).toEqual({
      unavailable: 'the comparison was turned off (--previous none)',
    });
    expect(text.err).toBe('');
  });

  it('a folder that is not a complete run: exit 2 naming it, before any request', async () => {
    const empty = join(stand.dir, 'empty');
    await mkdir(empty);
    const incomplete = join(stand.dir, 'incomplete');
    await mkdir(incomplete);
    const summary = await summaryOf(dir1());
    await writeFile(join(incomplete, 'summary.json'), JSON.stringify({ ...summary, complete: false }));
    const cases: [string, string][] = [
      [empty, `no summary.json in ${empty}/`],
      [incomplete, `previous run ${summary.run_id} is incomplete`],
      [join(stand.dir, 'absent'), `no summary.json in ${join(stand.dir, 'absent')}/`],
      [
        's3://Not_A_Bucket',
        'invalid --previous "s3://Not_A_Bucket": expected a folder, s3://bucket/prefix/ or none',
      ],
    ];
    for (const [previous, reason] of cases) {
      const requests = stand.emulator.stats.requests;
      const { text, io } = capturedCliIo();
      const code = await runCli(
        ['-w', 'demo', '--out', join(stand.dir, 'refused'), '--previous', previous],
        env(),
        io,
      );
      expect(code, previous).toBe(2);
      const line = previous.startsWith('s3://')
        ? `error: ${reason}\n`
        : `error: --previous ${previous} is not a complete run of workspace "demo": ${reason}\n`;
      expect(text.err).toBe(line);
      expect(stand.emulator.stats.requests).toBe(requests);
    }
  });

  it('s3://bucket/prefix/: a run folder in S3 (s3rver)', async () => {
    const s3env = env(s3rverEnv(stand.s3.endpoint));
    await withProcessEnv(s3env, [], async () => {
      const first = capturedCliIo();
      expect(
        await runCli(['-w', 'demo', '-q', '--out', `s3://${stand.s3.bucket}/nightly`], s3env, first.io),
      ).toBe(0);
      const store = new S3Store({ client: stand.s3.client, bucket: stand.s3.bucket, prefix: 'nightly/' });
      const latest = (await readLatest(store, 'demo'))!;
      const out = join(stand.dir, 'from-s3');
      const previous = `s3://${stand.s3.bucket}/nightly/${latest.prefix}`;
      const second = capturedCliIo();
      const code = await runCli(['-w', 'demo', '-q', '--out', out, '--previous', previous], s3env, second.io);
      expect(second.text.err).toBe('');
      expect(code).toBe(0);
      expect((await summaryOf(out)).changes).toMatchObject({
        previous_run_id: latest.run_id,
        added: 0,
        removed: 0,
      });
      expect(await csvOf(join(out, 'changes.csv'))).toHaveLength(1);
    });
  });
});

describe('the default previous run of a folder output', () => {
  it('a reused --out DIR compares with the run it holds; the first run there says why it has none', async () => {
    const out = join(stand.dir, 'reused');
    const first = capturedCliIo();
    expect(await runCli(['-w', 'demo', '-q', '--out', out], env(), first.io)).toBe(0);
    expect((await summaryOf(out)).changes).toEqual({ unavailable: `no summary.json in ${out}/` });
    const firstRun = (await summaryOf(out)).run_id;
    const second = capturedCliIo();
    expect(await runCli(['-w', 'demo', '-q', '--out', out], env(), second.io)).toBe(0);
    expect((await summaryOf(out)).changes).toMatchObject({ previous_run_id: firstRun, added: 0, removed: 0 });
  });

  it('a fresh folder compares with the newest complete run beside it', async () => {
    const parent = join(stand.dir, 'reports', 'demo');
    const older = '20261101T000000000Z-aaaaaa';
    const newer = '20261102T000000000Z-bbbbbb';
    const newest = '20261103T000000000Z-cccccc';
    const summary = await summaryOf(dir1());
    for (const [runId, complete] of [
      [older, true],
      [newer, true],
      [newest, false],
    ] as const) {
      await mkdir(join(parent, runId), { recursive: true });
      for (const name of ['sessions.csv', 'files.csv', 'failed_files.csv']) {
        await writeFile(join(parent, runId, name), await readFile(join(dir1(), name)));
      }
      await writeFile(
        join(parent, runId, 'summary.json'),
        JSON.stringify({ ...summary, run_id: runId, complete }),
      );
    }
    const chosen = await folderPrevious(
      { dir: join(parent, '20261104T000000000Z-dddddd'), fresh: true },
      'demo',
    );
    expect(chosen).toMatchObject({ kind: 'folder', prefix: '' });
    expect(chosen.kind === 'folder' && chosen.store.location).toBe(`${join(parent, newer)}/`);
    const none = await folderPrevious(
      { dir: join(stand.dir, 'reports', 'other', 'x'), fresh: true },
      'other',
    );
    expect(none).toEqual({
      kind: 'none',
      reason: `no previous complete run of workspace "other" in ${join(stand.dir, 'reports', 'other')}/`,
    });
  });
});

describe('--stuck-after-hours and STUCK_AFTER_HOURS', () => {
  it('bad values: exit 2, one line naming the flag or variable', async () => {
    const cases: [string[], Record<string, string>, string][] = [
      [['--stuck-after-hours', 'soon'], env(), '--stuck-after-hours must be a number of hours > 0'],
      [['--stuck-after-hours', '0'], env(), '--stuck-after-hours must be a number of hours > 0'],
      [[], env({ STUCK_AFTER_HOURS: '-3' }), 'invalid STUCK_AFTER_HOURS: must be a number of hours > 0'],
    ];
    for (const [args, environment, message] of cases) {
      const { text, io } = capturedCliIo();
      expect(await runCli(['-w', 'demo', '--out', join(stand.dir, 'bad'), ...args], environment, io)).toBe(2);
      expect(text.err).toBe(`error: ${message}\n`);
    }
  });

  it('the variable sets the threshold, the flag overrides it', async () => {
    const byEnv = join(stand.dir, 'by-env');
    const a = capturedCliIo();
    const previous = ['--previous', 'none'];
    expect(
      await runCli(
        ['-w', 'demo', '-q', '--out', byEnv, ...previous],
        env({ STUCK_AFTER_HOURS: '1.5' }),
        a.io,
      ),
    ).toBe(0);
    expect((await summaryOf(byEnv)).stuck?.after_hours).toBe(1.5);
    const byFlag = join(stand.dir, 'by-flag');
    const b = capturedCliIo();
    const args = ['-w', 'demo', '-q', '--out', byFlag, '--stuck-after-hours', '48', ...previous];
    expect(await runCli(args, env({ STUCK_AFTER_HOURS: '1.5' }), b.io)).toBe(0);
    const summary = await summaryOf(byFlag);
    expect(summary.stuck).toEqual(expectedStuck(after, runStartOf(summary), 48).summary);
  });

  it('--help still works and names the new flags', async () => {
    const { text, io } = capturedCliIo();
    expect(await runCli(['--help'], env(), io)).toBe(0);
    expect(text.out).toContain('--previous DIR|s3://bucket/prefix/|none');
    expect(text.out).toContain('--stuck-after-hours N');
  });
});
