/**
 * The CLI in-process (runCli), against the emulator over real HTTP: exit codes, the one-line
 * result or error, and the API key never printed.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { S3Store } from '../../lib/store/s3-store';
import { capturedCliIo } from '../support/captured-io';
import { s3rverEnv, useCliStand, withProcessEnv } from '../support/cli-stand';

const KEY = 'cli-test-key-7f3a9c';

const stand = useCliStand({
  folderPrefix: 'cli-test-',
  emulator: { seed: 2, sessions: 10, maxFiles: 300, apiKey: KEY },
  s3: true,
});

const capture = capturedCliIo;

const env = stand.env;

describe('ingestion-report CLI', () => {
  it('writes the four files into --out DIR and prints one result line', async () => {
    const out = join(stand.dir, 'run1');
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
    const s3env = env(s3rverEnv(stand.s3.endpoint));
    await withProcessEnv(s3env, [], async () => {
      const code = await runCli(
        ['-w', 'demo', '--out', `s3://${stand.s3.bucket}/nightly`, '--mode', 'summary'],
        s3env,
        io,
      );
      expect(text.err).toBe('');
      expect(code).toBe(0);
    });
    const store = new S3Store({ client: stand.s3.client, bucket: stand.s3.bucket, prefix: 'nightly/' });
    const keys = await store.list('demo/');
    expect(keys).toContain('demo/latest.json');
    expect(
      keys
        .filter((k) => k.endsWith('.csv'))
        .map((k) => k.split('/').at(-1))
        .sort(),
    ).toEqual(['failed_files.csv', 'sessions.csv']);
    expect(text.out).toContain(`s3://${stand.s3.bucket}/nightly/demo/`);
  });

  it('names an unknown workspace and exits 1', async () => {
    const { text, io } = capture();
    expect(await runCli(['--workspace', 'ghost', '--out', join(stand.dir, 'ghost')], env(), io)).toBe(1);
    expect(text.err).toBe('error: workspace "ghost" was not found\n');
  });

  it('says the key was rejected without printing it', async () => {
    const { text, io } = capture();
    const wrong = 'wrong-key-e81b22';
    const code = await runCli(
      ['-w', 'demo', '-o', join(stand.dir, 'bad-key')],
      env({ DEEPSET_API_KEY: wrong }),
      io,
    );
    expect(code).toBe(1);
    expect(text.err).toBe('error: the API key was rejected (HTTP 403)\n');
    expect(text.err + text.out).not.toContain(wrong);
  });

  it('names the field and endpoint of an invalid response', async () => {
    stand.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
    try {
      const { text, io } = capture();
      expect(await runCli(['-w', 'demo', '-o', join(stand.dir, 'drift')], env(), io)).toBe(1);
      expect(text.err).toMatch(/^error: invalid response from GET .*\/files: data\[0\]\.name: /);
      expect(text.err.trim().split('\n')).toHaveLength(1);
    } finally {
      stand.emulator.faults.dropField = undefined;
    }
  });

  it('says the API is unreachable after retries', async () => {
    const { text, io } = capture();
    const unreachable = env({ DEEPSET_API_URL: 'http://127.0.0.1:9/api/v1' });
    expect(await runCli(['-w', 'demo', '-o', join(stand.dir, 'down')], unreachable, io)).toBe(1);
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
