/**
 * `npm run report -- --fanout` in-process (runCli): plan, a worker per batch, finalize, into a
 * folder and into s3rver, with the same one-line result and the same CSV bytes as the
 * single-process run; and the flag checks.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { readLatest } from '../../lib/report/latest-pointer';
import { S3Store } from '../../lib/store/s3-store';
import { capturedCliIo } from '../support/captured-io';
import { API_KEY, bytesOf, type FanoutFixture, startFanoutFixture } from './fixture';

let f: FanoutFixture;

beforeAll(async () => {
  f = await startFanoutFixture({ longSessions: 0 });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await f?.close();
});

const capture = capturedCliIo;

const env = () => ({ DEEPSET_API_URL: f.emulator.url, DEEPSET_API_KEY: API_KEY });
/** The one-line result without what differs between two runs (requests, time, location). */
const shape = (line: string) => line.trim().replace(/, [\d,]+ requests.*$/, '');

async function cli(args: string[]) {
  const { text, io } = capture();
  const code = await runCli([...args, '--quiet'], env(), io);
  return { code, ...text };
}

describe('report --fanout', () => {
  it('writes the same files, byte for byte, into a folder, and prints the same result line', async () => {
    // Mode summary keeps this quick; byte-identical.test.ts covers files.csv (mode full).
    const single = await cli(['-w', 'demo', '--out', join(f.dir, 'single'), '--mode', 'summary']);
    const fanout = await cli([
      '-w',
      'demo',
      '--out',
      join(f.dir, 'fanout'),
      '--mode',
      'summary',
      '--fanout',
      '--batch-files',
      '700',
    ]);
    expect(fanout).toMatchObject({ code: 0, err: '' });
    expect(fanout.out.trim().split('\n')).toHaveLength(1);
    expect(fanout.out).toMatch(/^complete: demo, 24 sessions, [\d,]+ files .* -> .*fanout\/$/m);
    expect(shape(fanout.out)).toBe(shape(single.out));
    const names = (await readdir(join(f.dir, 'fanout'))).sort();
    expect(names).toEqual(['failed_files.csv', 'sessions.csv', 'summary.json']);
    for (const name of names.filter((n) => n.endsWith('.csv'))) {
      const [a, b] = await Promise.all(['single', 'fanout'].map((d) => readFile(join(f.dir, d, name))));
      expect(a!.equals(b!), name).toBe(true);
    }
  });

  it('publishes to s3://bucket/prefix with the run layout and latest.json', async () => {
    // The SDK reads its endpoint and credentials from process.env.
    vi.stubEnv('AWS_ENDPOINT_URL_S3', f.s3.endpoint);
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const run = await cli([
      '-w',
      'demo',
      '--out',
      `s3://${f.s3.bucket}/cli`,
      '--mode',
      'summary',
      '--fanout',
    ]);
    expect(run).toMatchObject({ code: 0, err: '' });
    const store = new S3Store({ client: f.s3.client, bucket: f.s3.bucket, prefix: 'cli/' });
    const latest = await readLatest(store, 'demo');
    expect(run.out).toContain(`-> s3://${f.s3.bucket}/cli/${latest?.prefix}`);
    const keys = await store.list(latest!.prefix);
    expect(keys.map((k) => k.slice(latest!.prefix.length)).sort()).toEqual([
      'failed_files.csv',
      'sessions.csv',
      'status.json', // the run took the workspace's lease, as every run into a store with history
      'summary.json',
    ]);
    for (const name of ['failed_files.csv', 'sessions.csv']) {
      const reference = await readFile(join(f.dir, 'single', name));
      expect((await bytesOf(store, `${latest!.prefix}${name}`))!.equals(reference), name).toBe(true);
    }
  });

  it('exits 1 with one line when the run fails, and 2 for --batch-files without --fanout', async () => {
    const failed = await cli(['-w', 'ghost', '--out', join(f.dir, 'ghost'), '--fanout']);
    expect(failed).toMatchObject({ code: 1, out: '', err: 'error: workspace "ghost" was not found\n' });
    const misuse = await cli(['-w', 'demo', '--batch-files', '10']);
    expect(misuse).toMatchObject({ code: 2, err: 'error: --batch-files needs --fanout\n' });
    const zero = await cli(['-w', 'demo', '--fanout', '--batch-files', '0']);
    expect(zero.code).toBe(2);
    expect(zero.err).toMatch(/^error: --batch-files must be a whole number/);
  });
});
