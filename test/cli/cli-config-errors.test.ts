/**
 * The CLI's answer to configuration mistakes and store failures, in-process (runCli) against
 * the emulator over real HTTP and s3rver through the AWS SDK: a mistake that can be seen up
 * front exits 2 naming the flag or variable before any request; a store failing at run time
 * exits 1 naming the destination and the error code. Neither says "internal error", and
 * neither echoes a key or credentials.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { capturedCliIo } from '../support/captured-io';
import { s3rverEnv, useCliStand, withProcessEnv } from '../support/cli-stand';

const KEY = 'cli-config-key-51c0de';

const stand = useCliStand({
  folderPrefix: 'cli-config-',
  emulator: { seed: 3, sessions: 4, maxFiles: 120, apiKey: KEY },
  s3: true,
});

const capture = capturedCliIo;

const apiEnv = stand.env;

/** Runs the CLI; returns its exit code, stderr and the API requests it sent. */
async function run(args: string[], env: Record<string, string>) {
  const { text, io } = capture();
  const before = stand.emulator.stats.requests;
  const code = await runCli(args, env, io);
  return { code, err: text.err, out: text.out, requests: stand.emulator.stats.requests - before };
}

describe('configuration mistakes: exit 2, one line naming the flag or variable, no request sent', () => {
  it('--out pointing at a file', async () => {
    const file = join(stand.dir, 'a-file');
    await writeFile(file, 'not a folder');
    const result = await run(['-w', 'demo', '--out', file, '-q'], apiEnv());
    expect(result).toMatchObject({
      code: 2,
      err: `error: --out ${file} is a file, not a folder\n`,
      requests: 0,
    });
    const below = await run(['-w', 'demo', '--out', join(file, 'sub'), '-q'], apiEnv());
    expect(below.code).toBe(2);
    expect(below.err).toBe(`error: --out ${join(file, 'sub')}: ${file} is a file, not a folder\n`);
  });

  it('--out at a folder holding more than a report, or the current folder (it is replaced whole)', async () => {
    const project = join(stand.dir, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{}');
    await writeFile(join(project, 'summary.json'), '{}');
    const result = await run(['-w', 'demo', '--out', project, '-q'], apiEnv());
    expect(result).toMatchObject({ code: 2, requests: 0 });
    expect(result.err).toBe(
      `error: --out ${project} holds "package.json", which is not a report's file: use an empty folder or one the report wrote\n`,
    );
    expect((await readdir(project)).sort()).toEqual(['package.json', 'summary.json']);
    const here = await run(['-w', 'demo', '--out', '.', '-q'], apiEnv());
    expect(here).toMatchObject({ code: 2, requests: 0 });
    expect(here.err).toBe(
      `error: --out ${process.cwd()} is the current folder or contains it: name a folder for the report\n`,
    );
  });

  it('an S3 destination with no AWS region', async () => {
    const env = { ...apiEnv(), ...s3rverEnv(stand.s3.endpoint) };
    const { AWS_REGION: _, ...noRegion } = env;
    const result = await withProcessEnv(
      {
        ...noRegion,
        AWS_CONFIG_FILE: join(stand.dir, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(stand.dir, 'none'),
      },
      ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE'],
      () => run(['-w', 'demo', '--out', `s3://${stand.s3.bucket}/r`, '-q'], noRegion),
    );
    expect(result).toMatchObject({
      code: 2,
      err: `error: no AWS region for --out s3://${stand.s3.bucket}/r/: set AWS_REGION\n`,
      requests: 0,
    });
  });

  it('an API key with a space or a control character, never echoed', async () => {
    for (const key of ['secret part', 'secret\u0007bell']) {
      const result = await run(
        ['-w', 'demo', '-o', join(stand.dir, 'k'), '-q'],
        apiEnv({ DEEPSET_API_KEY: key }),
      );
      expect(result.code).toBe(2);
      expect(result.err).toMatch(/^error: invalid DEEPSET_API_KEY: [^\n]+\n$/);
      expect(result.err).not.toContain('secret');
      expect(result.requests).toBe(0);
    }
  });

  it('credentials in --api-url or DEEPSET_API_URL, never echoed', async () => {
    const withUser = stand.emulator.url.replace('http://', 'http://someone:hunter2@');
    const flag = await run(['-w', 'demo', '--api-url', withUser, '-o', join(stand.dir, 'u'), '-q'], apiEnv());
    expect(flag.code).toBe(2);
    expect(flag.err).toMatch(/^error: --api-url must not contain credentials[^\n]*\n$/);
    const variable = await run(
      ['-w', 'demo', '-o', join(stand.dir, 'u'), '-q'],
      apiEnv({ DEEPSET_API_URL: withUser }),
    );
    expect(variable.code).toBe(2);
    expect(variable.err).toMatch(/^error: invalid DEEPSET_API_URL: must not contain credentials[^\n]*\n$/);
    for (const text of [flag.err, variable.err]) expect(text).not.toMatch(/hunter2|someone/);
    expect(flag.requests + variable.requests).toBe(0);
  });
});

describe('store failures at run time: exit 1, one line naming the destination and the code', () => {
  it('a bucket that does not exist', async () => {
    const env = { ...apiEnv(), ...s3rverEnv(stand.s3.endpoint) };
    const result = await withProcessEnv(env, [], () =>
      run(['-w', 'demo', '--out', 's3://no-such-bucket/nightly', '-q'], env),
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      // The first thing a run does in a store with history: read the workspace's lease.
      /^error: could not read s3:\/\/no-such-bucket\/nightly\/demo\/run\.lease: NoSuchBucket\n$/,
    );
  });

  it('an S3 endpoint that is down', async () => {
    const env = { ...apiEnv(), ...s3rverEnv('http://127.0.0.1:9') };
    const result = await withProcessEnv(env, [], () =>
      run(['-w', 'demo', '--out', `s3://${stand.s3.bucket}/nightly`, '-q'], env),
    );
    expect(result.code).toBe(1);
    expect(result.err).toMatch(
      new RegExp(`^error: could not read s3://${stand.s3.bucket}/nightly/demo/run\\.lease: ECONNREFUSED\\n$`),
    );
  });
});
