/**
 * A real stack for the HTTP tests: the emulator on a port, s3rver in a temp dir, an S3Store on
 * it, and the app over both, with a logger that keeps what it is told (to check that details go
 * to the log and not to the caller). No mocks anywhere.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/server';
import { createHttpApp } from '../../functions/http/app';
import type { HttpDeps, HttpLogger } from '../../functions/http/deps';
import type { HttpEnv } from '../../functions/http/env';
import { type ClientOptions, UploadSessionsClient } from '../../lib/api';
import { S3Store } from '../../lib/store/s3-store';

export const TEST_API_KEY = 'test-key-7f3a9c';

/** What the logger was told. */
export interface LogEntry {
  level: 'info' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export interface HttpFixture {
  emulator: RunningEmulator;
  s3: LocalS3;
  store: S3Store;
  app: OpenAPIHono<HttpEnv>;
  logs: LogEntry[];
  close(): Promise<void>;
}

/** A small dataset and a client that retries quickly, so fault tests stay fast. */
export async function startHttpFixture(
  options: {
    emulator?: EmulatorOptions;
    client?: Partial<ClientOptions>;
    createClient?: HttpDeps['createClient'];
  } = {},
): Promise<HttpFixture> {
  const emulator = await startEmulator({
    port: 0,
    seed: 5,
    sessions: 12,
    maxFiles: 300,
    ...options.emulator,
  });
  const dir = await mkdtemp(join(tmpdir(), 'http-test-s3-'));
  const s3 = await startLocalS3({ directory: dir });
  const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: 'reports/' });
  const logs: LogEntry[] = [];
  const logger: HttpLogger = {
    info: (message, fields = {}) => logs.push({ level: 'info', message, fields }),
    error: (message, fields = {}) => logs.push({ level: 'error', message, fields }),
  };
  const createClient =
    options.createClient ??
    (async () =>
      new UploadSessionsClient({
        baseUrl: emulator.url,
        apiKey: TEST_API_KEY,
        baseDelayMs: 1,
        maxDelayMs: 5,
        maxAttempts: 3,
        timeoutMs: 2_000,
        ...options.client,
      }));
  const app = createHttpApp({ store, createClient, logger });
  return {
    emulator,
    s3,
    store,
    app,
    logs,
    close: async () => {
      await Promise.all([emulator.close(), s3.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The JSON body of an error response, checked for shape. */
export async function errorOf(response: Response): Promise<{ code: string; message: string }> {
  const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
  if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string') {
    throw new Error(`not an error body: ${JSON.stringify(body)}`);
  }
  return { code: body.error.code, message: body.error.message };
}

/** Reads a store object whole, as bytes. */
export async function storeBytes(store: S3Store, key: string): Promise<Buffer> {
  const stream = await store.readStream(key);
  if (!stream) throw new Error(`missing in the store: ${key}`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}
