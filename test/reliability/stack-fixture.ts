/**
 * The whole local stack for tests that drive every entry point (library, CLI, HTTP app,
 * nightly handler) against the same upstream and the same bucket: the emulator over real HTTP,
 * s3rver through the real AWS SDK, and helpers to capture what each entry point prints or logs.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import { touch } from '../../emulator/dataset';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/server';
import { runCli } from '../../functions/cli/run-cli';
import { createHttpApp } from '../../functions/http/app';
import type { HttpLogger } from '../../functions/http/deps';
import { createNightlyHandler } from '../../functions/nightly/nightly-handler';
import { NIGHTLY_SERVICE } from '../../functions/nightly/nightly-metrics';
import { METRICS_NAMESPACE } from '../../functions/shared/powertools';
import { type ClientOptions, UploadSessionsClient } from '../../lib/api';
import { latestKey } from '../../lib/report/layout';
import { S3Store } from '../../lib/store/s3-store';
import { capturedCliIo } from '../support/captured-io';
import { FAST_CLIENT } from './report-fixture';

export const STACK_PREFIX = 'reports/';

/** Emulator + s3rver + the report store every entry point publishes to. */
export interface Stack {
  emulator: RunningEmulator;
  s3: LocalS3;
  store: S3Store;
  /** s3rver's data directory: every object (and its metadata) as files on disk. */
  s3Dir: string;
  apiKey: string;
  /** A client of the emulator with test-sized delays. */
  client(options?: Partial<ClientOptions>): UploadSessionsClient;
  /** The raw bytes of `<workspace>/latest.json`, or undefined. */
  latestRaw(workspace: string): Promise<string | undefined>;
  /** Keys under `<workspace>/`. */
  keys(workspace: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Starts the stack. `workspaces` are extra copies of the generated `demo` workspace, so each
 * test can own one (and its latest.json).
 */
export async function startStack(
  apiKey: string,
  options: { emulator?: EmulatorOptions; workspaces?: string[] } = {},
): Promise<Stack> {
  const s3Dir = await mkdtemp(join(tmpdir(), 'stack-s3-'));
  const emulator = await startEmulator({
    port: 0,
    seed: 9,
    sessions: 8,
    maxFiles: 220,
    apiKey,
    ...options.emulator,
  });
  const demo = emulator.dataset.workspaces.get('demo')!;
  for (const name of options.workspaces ?? []) emulator.dataset.workspaces.set(name, structuredClone(demo));
  touch(emulator.dataset);
  const s3 = await startLocalS3({ directory: s3Dir });
  const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: STACK_PREFIX });
  return {
    emulator,
    s3,
    store,
    s3Dir,
    apiKey,
    client: (extra = {}) =>
      new UploadSessionsClient({ baseUrl: emulator.url, apiKey, ...FAST_CLIENT, ...extra }),
    latestRaw: async (workspace) => (await store.read(latestKey(workspace)))?.body,
    keys: (workspace) => store.list(`${workspace}/`),
    close: async () => {
      await Promise.all([emulator.close(), s3.close()]);
      await rm(s3Dir, { recursive: true, force: true });
    },
  };
}

/**
 * The SDK takes credentials and the endpoint from process.env (the CLI's S3 client reads
 * AWS_ENDPOINT_URL_S3 there too): s3rver's fixed dummy credentials. Undo with vi.unstubAllEnvs().
 */
export function stubAwsEnv(stack: Stack): void {
  vi.stubEnv('AWS_REGION', 'us-east-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
  vi.stubEnv('AWS_ENDPOINT_URL_S3', stack.s3.endpoint);
}

/** The environment the CLI and the nightly handler are given. */
export function stackEnv(stack: Stack, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    DEEPSET_API_URL: stack.emulator.url,
    DEEPSET_API_KEY: stack.apiKey,
    REPORT_BUCKET: stack.s3.bucket,
    REPORT_PREFIX: STACK_PREFIX,
    AWS_ENDPOINT_URL_S3: stack.s3.endpoint,
    ...extra,
  };
}

/** Streams for runCli whose output is kept in `text`. */

/** Runs the CLI in-process, publishing to the stack's bucket; returns the exit code and output. */
export async function cliRun(stack: Stack, workspace: string, env: NodeJS.ProcessEnv = stackEnv(stack)) {
  const { text, io } = capturedCliIo();
  const out = `s3://${stack.s3.bucket}/${STACK_PREFIX}`;
  const code = await runCli(['--workspace', workspace, '--out', out, '--quiet'], env, io);
  return { code, ...text };
}

/** A logger that keeps every entry as the JSON line the console logger would print. */
export function recordingLogger(): HttpLogger & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push(JSON.stringify({ level, message, ...fields }, errorReplacer));
    };
  return { lines, info: record('INFO'), error: record('ERROR') };
}

/** JSON.stringify drops an Error's message, stack and cause: keep them, as a log would. */
function errorReplacer(_key: string, value: unknown): unknown {
  if (!(value instanceof Error)) return value;
  return { name: value.name, message: value.message, stack: value.stack, cause: value.cause };
}

/** The HTTP app over the stack, with its logger recorded. */
export function httpApp(stack: Stack, client: Partial<ClientOptions> = {}) {
  const logger = recordingLogger();
  const app = createHttpApp({ store: stack.store, createClient: async () => stack.client(client), logger });
  return { app, logger };
}

/** A nightly handler as handler.ts builds it, over `env`. */
export function nightlyHandler(env: NodeJS.ProcessEnv) {
  const logger = new Logger({ serviceName: NIGHTLY_SERVICE });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE });
  return createNightlyHandler({ logger, metrics, env });
}

/**
 * Captures (and silences) stdout and stderr, where Powertools writes logs and metrics, and the
 * console methods the HTTP app's default logger uses (vitest routes those around process.stdout).
 */
export function captureStdio(): { text(): string; restore(): void } {
  const chunks: string[] = [];
  const capture = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  };
  const line = (...args: unknown[]) => {
    chunks.push(`${args.map(String).join(' ')}\n`);
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(capture),
    vi.spyOn(process.stderr, 'write').mockImplementation(capture),
    ...(['log', 'info', 'warn', 'error'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation(line),
    ),
  ];
  return {
    text: () => chunks.join(''),
    restore: () => {
      for (const spy of spies) spy.mockRestore();
    },
  };
}

/** A base URL where nothing listens (a port just freed): connections are refused. */
export async function unreachableApiUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}/api/v1`;
}

/** A Lambda context with plenty of time left. */
export function lambdaContext(): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'IngestionReports-Nightly',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:IngestionReports-Nightly',
    memoryLimitInMB: '1024',
    awsRequestId: '5c0e7f0a-0000-4000-8000-000000000001',
    logGroupName: '/aws/lambda/IngestionReports-Nightly',
    logStreamName: '2026/11/23/[$LATEST]reliability',
    getRemainingTimeInMillis: () => 600_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}
