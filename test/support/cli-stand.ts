/**
 * What the CLI tests run against, set up once per file: a temp folder, the emulator over real
 * HTTP with the file's own dataset and key, and (for tests that publish to S3) s3rver in that
 * folder. Also the env runCli reads, and a way to lend the AWS SDK s3rver's credentials, which
 * it reads from process.env rather than from the env runCli is given.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';

type EmulatorOptions = Parameters<typeof startEmulator>[0] & { apiKey: string };

export interface CliStandOptions {
  /** The temp folder's name prefix, so a leftover folder tells which test left it. */
  folderPrefix: string;
  emulator: EmulatorOptions;
  s3?: boolean;
}

export interface CliStand {
  readonly emulator: RunningEmulator;
  /** Only when the stand was asked for s3. */
  readonly s3: LocalS3;
  readonly dir: string;
  /** runCli's env: the emulator's URL and key, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
}

/** Registers the file's beforeAll and afterAll; read the stand's parts only inside hooks and tests. */
export function useCliStand(options: CliStandOptions): CliStand {
  let emulator: RunningEmulator | undefined;
  let s3: LocalS3 | undefined;
  let dir: string | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), options.folderPrefix));
    emulator = await startEmulator({ port: 0, ...options.emulator });
    if (options.s3) s3 = await startLocalS3({ directory: join(dir, 's3') });
  });
  afterAll(async () => {
    await emulator?.close();
    await s3?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  return {
    get emulator() {
      return emulator!;
    },
    get s3() {
      return s3!;
    },
    get dir() {
      return dir!;
    },
    env: (extra = {}) => ({
      DEEPSET_API_URL: emulator!.url,
      DEEPSET_API_KEY: options.emulator.apiKey,
      ...extra,
    }),
  };
}

/** The SDK's settings for s3rver: its endpoint and fixed dummy credentials (it checks the key ID only). */
export const s3rverEnv = (endpoint: string) => ({
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AWS_REGION: 'us-east-1',
});

/** Runs `task` with `set` added to and `unset` removed from process.env, then puts it back. */
export async function withProcessEnv<T>(
  set: Record<string, string>,
  unset: string[],
  task: () => Promise<T>,
): Promise<T> {
  const saved = { ...process.env };
  Object.assign(process.env, set);
  for (const name of unset) delete process.env[name];
  try {
    return await task();
  } finally {
    process.env = saved;
  }
}
