/**
 * What the nightly tests run against: the emulator over real HTTP (workspaces `demo` and `beta`,
 * small, and `empty` with no sessions) and s3rver in a temp dir, plus helpers to read what a
 * run published, capture stdout and stderr (Powertools writes logs and EMF there), and a typed fake
 * Lambda context.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';
import { touch } from '../../emulator/dataset';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { LatestPointer } from '../../lib/report/latest-pointer';
import { latestKey } from '../../lib/report/layout';
import { S3Store } from '../../lib/store';

/** Distinctive, so a leak into any captured output is unmistakable. */
export const API_KEY = 'nightly-secret-key-4f9c2e7a1b';
export const PREFIX = 'reports/';

export interface NightlyFixture {
  emulator: RunningEmulator;
  s3: LocalS3;
  store: S3Store;
  /** The handler's environment: the emulator, s3rver, and the key in DEEPSET_API_KEY. */
  env: NodeJS.ProcessEnv;
  latest(workspace: string): Promise<LatestPointer | undefined>;
  close(): Promise<void>;
}

export async function startNightlyFixture(): Promise<NightlyFixture> {
  const directory = await mkdtemp(join(tmpdir(), 'nightly-s3-'));
  // The emulator insists on this key, so a run that succeeds proves the key reached it.
  const emulator = await startEmulator({ port: 0, seed: 5, sessions: 6, maxFiles: 200, apiKey: API_KEY });
  const demo = emulator.dataset.workspaces.get('demo')!;
  emulator.dataset.workspaces.set('beta', structuredClone(demo.slice(0, 3)));
  emulator.dataset.workspaces.set('empty', []);
  touch(emulator.dataset);
  const s3 = await startLocalS3({ directory });
  const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: PREFIX });
  const env: NodeJS.ProcessEnv = {
    DEEPSET_API_URL: emulator.url,
    DEEPSET_API_KEY: API_KEY,
    REPORT_BUCKET: s3.bucket,
    REPORT_PREFIX: PREFIX,
    AWS_ENDPOINT_URL_S3: s3.endpoint,
  };
  return {
    emulator,
    s3,
    store,
    env,
    async latest(workspace) {
      const object = await store.read(latestKey(workspace));
      return object ? LatestPointer.parse(JSON.parse(object.body)) : undefined;
    },
    async close() {
      await Promise.all([emulator.close(), s3.close()]);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The SDK reads region and credentials from process.env, not from the env object the handler
 * is given: s3rver's fixed dummy credentials (it checks the key ID, not the signature).
 */
export function stubAwsEnv(): void {
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
}

/**
 * Registers the hooks most nightly tests share: one fixture for the file, and for each test the
 * AWS env stubbed and the output captured (then restored). Read the two only inside tests.
 */
export function useNightlyFixture(): { readonly fixture: NightlyFixture; readonly output: CapturedOutput } {
  let fixture: NightlyFixture | undefined;
  let output: CapturedOutput | undefined;
  beforeAll(async () => {
    fixture = await startNightlyFixture();
  });
  afterAll(() => fixture?.close());
  beforeEach(() => {
    stubAwsEnv();
    output = captureOutput();
  });
  afterEach(() => {
    output?.restore();
    vi.unstubAllEnvs();
  });
  return {
    get fixture() {
      return fixture!;
    },
    get output() {
      return output!;
    },
  };
}

export interface CapturedOutput {
  text(): string;
  /** Every line that parses as a JSON object, in the order written. */
  records(): Record<string, unknown>[];
  restore(): void;
}

/**
 * Captures (and silences) stdout and stderr, where Powertools' Console writes: EMF and info
 * logs to stdout, warnings and errors to stderr. On Lambda both end up in the log group.
 */
export function captureOutput(): CapturedOutput {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
  ];
  const text = () => chunks.join('');
  return {
    text,
    records: () =>
      text()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** A Lambda context as the runtime passes it; `remainingMs` is the time left for the invocation. */
export function fakeContext(remainingMs = 900_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'IngestionReports-Nightly',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:IngestionReports-Nightly',
    memoryLimitInMB: '1024',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    logGroupName: '/aws/lambda/IngestionReports-Nightly',
    logStreamName: '2026/11/20/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => remainingMs,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
