/**
 * The CLI as users run it: the launcher (bin/ingestion-report.js) and the esbuild bundle in dist/,
 * in a child process with plain `node`, against the emulator over HTTP and s3rver. Also what the
 * bundle loads at start-up: neither the AWS SDK nor the emulator, which a run may not need.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, PROJECT_ROOT } from '../../build/build-cli.js';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';

const run = promisify(execFile);
const KEY = 'bundle-test-key-5d21';
const LAUNCHER = join(PROJECT_ROOT, 'bin/ingestion-report.js');
let emulator: RunningEmulator;
let s3: LocalS3;
let dir: string;
let entry: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-bundle-'));
  // The bundle of the sources as they are, as `npm ci` makes it (a no-op rename if unchanged).
  entry = (await buildCli()).entry;
  emulator = await startEmulator({ port: 0, seed: 3, sessions: 4, maxFiles: 250, apiKey: KEY });
  s3 = await startLocalS3({ directory: join(dir, 's3') });
});
afterAll(async () => {
  await emulator?.close();
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The launcher as `npm run report` starts it; resolves with exit code, stdout, stderr. */
async function report(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DEEPSET_|AWS_|REPORT_)/.test(name)),
  );
  try {
    const { stdout, stderr } = await run(process.execPath, ['--enable-source-maps', LAUNCHER, ...args], {
      env: { ...clean, DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: KEY, ...env },
      cwd: dir,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('the CLI bundle', () => {
  it('prints its usage with --help', async () => {
    const result = await report(['--help']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^usage: npm run report -- --workspace <name>/);
  });

  it('writes a report into a folder: one result line on stdout, nothing on stderr', async () => {
    const out = join(dir, 'folder-run');
    const result = await report(['--workspace', 'demo', '--out', out]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^complete: demo, 4 sessions, [\d,]+ files .* -> .*folder-run\/\n$/);
    expect((await readdir(out)).sort()).toEqual([
      'failed_files.csv',
      'files.csv',
      'sessions.csv',
      'summary.json',
    ]);
  });

  it('publishes to S3, loading the SDK on demand, without its Node-version warning', async () => {
    const result = await report(['--workspace', 'demo', '--out', `s3://${s3.bucket}/bundle/`], {
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^complete: demo, .* -> s3:\/\/ingestion-reports\/bundle\/demo\//);
    const latest = await s3.client.send(
      new (await import('@aws-sdk/client-s3')).GetObjectCommand({
        Bucket: s3.bucket,
        Key: 'bundle/demo/latest.json',
      }),
    );
    expect(await latest.Body?.transformToString()).toContain('"run_id"');
  });

  it('fails with one line and exit 1 when the API rejects the key', async () => {
    const result = await report(['--workspace', 'demo', '--out', join(dir, 'rejected')], {
      DEEPSET_API_KEY: 'wrong-key',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^error: /);
  });

  it('loads neither the AWS SDK nor the emulator at start-up', async () => {
    const folder = join(PROJECT_ROOT, 'dist', entry.split('/')[0]!);
    const meta = JSON.parse(await readFile(join(folder, 'metafile.json'), 'utf8')) as Metafile;
    const startUp = staticClosure(meta, Object.keys(meta.outputs).find((file) => file.endsWith('/cli.js'))!);
    const inputs = startUp.flatMap((output) => Object.keys(meta.outputs[output]!.inputs));
    expect(inputs).toContain('functions/cli/run-cli.ts');
    expect(inputs.filter((input) => input.includes('@aws-sdk/') || input.startsWith('emulator/'))).toEqual(
      [],
    );
    // ...but both are in the build, loaded when a run needs them.
    expect(Object.keys(meta.inputs)).toEqual(
      expect.arrayContaining([
        'emulator/server.ts',
        'lib/store/s3-store.ts',
        'functions/shared/s3-client.ts',
      ]),
    );
  });

  it('maps its code back to the .ts sources, for stack traces', async () => {
    const map = JSON.parse(await readFile(join(PROJECT_ROOT, 'dist', `${entry}.map`), 'utf8')) as {
      sources: string[];
    };
    expect(map.sources).toContain('../../functions/cli/run-cli.ts');
  });
});

/** The output files a chunk loads before it runs: itself and its static imports, transitively. */
function staticClosure(meta: Metafile, start: string): string[] {
  const seen = new Set<string>();
  const pending = [start];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of meta.outputs[file]!.imports) {
      if (imported.kind === 'import-statement' && !imported.external) pending.push(imported.path);
    }
  }
  return [...seen];
}
