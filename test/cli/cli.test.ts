/**
 * The CLI in-process (runCli), against the emulator over real HTTP: exit codes, the one-line
 * result or error, and the API key never printed.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { runCli } from '../../functions/cli/run-cli';
import { S3Store } from '../../lib/store/s3-store';
import { capturedCliIo } from '../support/captured-io';

const KEY = 'cli-test-key-7f3a9c';
let emulator: RunningEmulator;
let s3: LocalS3;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-test-'));
  emulator = await startEmulator({ port: 0, seed: 2, sessions: 10, maxFiles: 300, apiKey: KEY });
  s3 = await startLocalS3({ directory: join(dir, 's3') });
});
afterAll(async () => {
  await emulator.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

const capture = capturedCliIo;

const env = (extra: Record<string, string> = {}) => ({
  DEEPSET_API_URL: emulator.url,
  DEEPSET_API_KEY: KEY,
  ...extra,
});

describe('ingestion-report CLI', () => {
  it('writes the four files into --out DIR and prints one result line', async () => {
    const out = join(dir, 'run1');
    const { text, io } = capture();
    const code = await runCli(['--workspace', 'demo', '--out', out, '--quiet'], env(), io);
    expect(code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'failed_files.csv',
      'files.csv',
      'sessions.csv',
      'summary.json',
    ]);
    expect(text.out.trim().split('\n')).toHaveLength(1);
    expect(text.out).toMatch(/^complete: demo, 10 sessions, [\d,]+ files/);
    expect(text.err).toBe('');
  });

  it('publishes to s3://bucket/prefix with the run layout and latest.json', async () => {
    const { text, io } = capture();
    const s3env = env({
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    // The SDK reads credentials from process.env, not from the env passed to runCli.
    const saved = { ...process.env };
    Object.assign(process.env, s3env);
    try {
      const code = await runCli(
        ['-w', 'demo', '--out', `s3://${s3.bucket}/nightly`, '--mode', 'summary'],
        s3env,
        io,
      );
      expect(text.err).toBe('');
      expect(code).toBe(0);
    } finally {
      process.env = saved;
    }
    const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: 'nightly/' });
    const keys = await store.list('demo/');
    expect(keys).toContain('demo/latest.json');
    expect(
      keys
        .filter((k) => k.endsWith('.csv'))
        .map((k) => k.split('/').at(-1))
        .sort(),
    ).toEqual(['failed_files.csv', 'sessions.csv']);
    expect(text.out).toContain(`s3://${s3.bucket}/nightly/demo/`);
  });

  it('names an unknown workspace and exits 1', async () => {
    const { text, io } = capture();
    expect(await runCli(['--workspace', 'ghost', '--out', join(dir, 'ghost')], env(), io)).toBe(1);
    expect(text.err).toBe('error: workspace "ghost" was not found\n');
  });

  it('says the key was rejected without printing it', async () => {
    const { text, io } = capture();
    const wrong = 'wrong-key-e81b22';
    const code = await runCli(
      ['-w', 'demo', '-o', join(dir, 'bad-key')],
      env({ DEEPSET_API_KEY: wrong }),
      io,
    );
    expect(code).toBe(1);
    expect(text.err).toBe('error: the API key was rejected (HTTP 403)\n');
    expect(text.err + text.out).not.toContain(wrong);
  });

  it('names the field and endpoint of an invalid response', async () => {
    emulator.faults.dropField = { endpoint: 'files', field: 'name' };
    try {
      const { text, io } = capture();
      expect(await runCli(['-w', 'demo', '-o', join(dir, 'drift')], env(), io)).toBe(1);
      expect(text.err).toMatch(/^error: invalid response from GET .*\/files: data\[0\]\.name: /);
      expect(text.err.trim().split('\n')).toHaveLength(1);
    } finally {
      emulator.faults.dropField = undefined;
    }
  });

  it('says the API is unreachable after retries', async () => {
    const { text, io } = capture();
    const unreachable = env({ DEEPSET_API_URL: 'http://127.0.0.1:9/api/v1' });
    expect(await runCli(['-w', 'demo', '-o', join(dir, 'down')], unreachable, io)).toBe(1);
    expect(text.err).toMatch(/^error: .*after 6 attempts.*\n$/);
  });

  it('rejects bad flags and configuration with exit 2, naming them', async () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--mode', 'fast'], env(), /--mode must be "full" or "summary"/],
      [['--concurrency', '0'], env(), /--concurrency must be a whole number/],
      [['--workspace', '../etc'], env(), /invalid workspace name/],
      [['--bogus'], env(), /bogus/],
      [[], env({ REPORT_CONCURRENCY: 'lots' }), /invalid REPORT_CONCURRENCY/],
      [[], env(), /--workspace is required/],
    ];
    for (const [args, environment, message] of cases) {
      const { text, io } = capture();
      expect(await runCli(args, environment, io)).toBe(2);
      expect(text.err).toMatch(message);
      expect(text.err).not.toContain(KEY);
    }
  });
});
