/**
 * What the HTTP API shows a caller when things break inside, and what it refuses to read
 * (a caller must learn nothing about the inside). Every 5xx is JSON `{error: {code, message}}` with no stack trace, no file path, no
 * internal address and no upstream body, whatever the upstream sent (tracebacks, HTML, FastAPI
 * details that echo internals) or however the store failed; the details are in the log. Request
 * bodies are capped (413) on a real socket of the local server (`npm start`'s startLocalServer).
 * test/http/errors.test.ts covers the common upstream failures (HTML 5xx, drift, rejected key);
 * this file adds the hostile ones.
 */

import { mkdtemp, rm } from 'node:fs/promises';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { localS3ClientConfig, startLocalS3 } from '../../emulator/s3/local-s3';
import { createHttpApp, MAX_BODY_BYTES } from '../../functions/http/app';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { UploadSessionsClient } from '../../lib/api';
import { S3Store } from '../../lib/store/s3-store';
import { runToEnd } from '../http/run-to-end';
import { FAST_CLIENT } from '../reliability/report-fixture';
import { recordingLogger, type Stack, startStack } from '../reliability/stack-fixture';

const KEY = 'hardening-key-4a7e0c';
/** What an internal detail looks like: stack frames, paths, addresses, markup, upstream text. */
const INTERNALS =
  /\bat \S+ \(|^\s+at |\.(ts|js|py):\d|\/(srv|var|work|home|tmp|usr)\/|node_modules|<\/?[a-z]+[ >]|Traceback|ECONNREFUSED|127\.0\.0\.1|localhost|https?:\/\/|db-internal|SELECT |stack/im;

let stack: Stack;
let upstream: Server;
let upstreamUrl: string;
/** What the fake upstream answers; each case sets it. */
let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

beforeAll(async () => {
  stack = await startStack(KEY);
  upstream = createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await stack?.close();
});

const TRACEBACK = `<html><body><pre>Traceback (most recent call last):
  File "/srv/deepset/api/upload_sessions.py", line 42, in list_sessions
    rows = db.execute("SELECT * FROM sessions WHERE workspace = %s")
psycopg2.OperationalError: could not connect to server at db-internal.prod:5432
</pre></body></html>`;

/** One way to make the app answer 5xx, and the route that shows it. */
interface FiveHundredCase {
  name: string;
  method?: 'GET' | 'POST';
  path: string;
  /** Builds the app for this case (its upstream, store, client factory). */
  app(): Promise<ReturnType<typeof createHttpApp>> | ReturnType<typeof createHttpApp>;
  status: number;
  code: string;
  /** A run that starts (202) and fails: its status's error is what the caller sees. */
  run?: boolean;
}

const logger = recordingLogger();
const upstreamApp = (respond: typeof answer) => {
  answer = respond;
  return createHttpApp({
    store: stack.store,
    logger,
    createClient: async () =>
      new UploadSessionsClient({ ...FAST_CLIENT, maxAttempts: 2, baseUrl: upstreamUrl, apiKey: KEY }),
  });
};
/** An S3 store whose server is gone (started, then stopped). */
async function deadStore(): Promise<S3Store> {
  const dir = await mkdtemp(join(tmpdir(), 'dead-s3-'));
  const s3 = await startLocalS3({ directory: dir });
  await s3.close();
  await rm(dir, { recursive: true, force: true });
  return new S3Store({ client: new S3Client(localS3ClientConfig(s3.endpoint)), bucket: s3.bucket });
}

const CASES: FiveHundredCase[] = [
  {
    name: 'upstream 500 with a Python traceback page',
    method: 'POST',
    path: '/workspaces/demo/reports',
    app: () => upstreamApp((_req, res) => res.writeHead(500, { 'content-type': 'text/html' }).end(TRACEBACK)),
    status: 502,
    code: 'API_SERVER_ERROR',
    run: true,
  },
  {
    name: 'upstream 200 whose body is not JSON but an internal page',
    method: 'POST',
    path: '/workspaces/demo/reports',
    app: () =>
      upstreamApp((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(TRACEBACK)),
    status: 502,
    code: 'INVALID_RESPONSE',
    run: true,
  },
  {
    name: 'upstream 422 whose FastAPI detail echoes internals',
    method: 'POST',
    path: '/workspaces/demo/reports',
    app: () =>
      upstreamApp((_req, res) =>
        res.writeHead(422, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            detail: [
              { loc: ['query', 'limit'], msg: 'see /srv/deepset/api/validators.py:17', type: 'value_error' },
            ],
          }),
        ),
      ),
    status: 502,
    code: 'REQUEST_REJECTED',
    run: true,
  },
  {
    name: 'upstream 418 with an HTML body',
    method: 'POST',
    path: '/workspaces/demo/reports',
    app: () => upstreamApp((_req, res) => res.writeHead(418, { 'content-type': 'text/html' }).end(TRACEBACK)),
    status: 502,
    code: 'API_ERROR',
    run: true,
  },
  {
    name: 'the client factory throws with a file path in its message',
    method: 'POST',
    path: '/workspaces/demo/reports',
    app: () =>
      createHttpApp({
        store: stack.store,
        logger,
        createClient: async () => {
          throw new Error('EACCES: cannot read /var/task/config/secret.json');
        },
      }),
    status: 500,
    code: 'INTERNAL',
  },
  ...(['/reports', '/reports/latest', '/reports/latest/sessions.csv', '/dashboard'] as const).map((rest) => ({
    name: `the S3 store is down: GET ${rest}`,
    path: `/workspaces/demo${rest}`,
    app: async () =>
      createHttpApp({ store: await deadStore(), logger, createClient: async () => stack.client() }),
    status: 500,
    code: 'INTERNAL',
  })),
  {
    name: 'the S3 store is down: POST a run',
    method: 'POST',
    path: '/workspaces/demo/reports',
    app: async () =>
      createHttpApp({ store: await deadStore(), logger, createClient: async () => stack.client() }),
    status: 500,
    code: 'INTERNAL',
  },
];

describe('5xx bodies leak no internals', () => {
  it.each(CASES.filter((c) => c.run))(
    '$name -> a failed run, $code in its status',
    async ({ app, path, code }) => {
      const logged = logger.lines.length;
      const run = await runToEnd(await app(), path);
      const text = JSON.stringify(run);
      expect(run.status).toBe('failed');
      expect(run.error?.code).toBe(code);
      expect(run.error?.message).not.toMatch(INTERNALS);
      expect(run.summary?.error).toEqual(run.error);
      expect(text).not.toContain(KEY);
      expect(text).not.toMatch(/Traceback|db-internal|validators\.py/);
      // The details are not lost: they are in the log, with the run id.
      await vi.waitFor(() => {
        const errors = logger.lines.slice(logged).filter((line) => line.includes('"level":"ERROR"'));
        expect(errors.some((line) => line.includes(run.run_id))).toBe(true);
      });
    },
  );

  it.each(CASES.filter((c) => !c.run))(
    '$name -> $status $code',
    async ({ app, method, path, status, code }) => {
      const logged = logger.lines.length;
      const response = await (await app()).request(path, { method: method ?? 'GET' });
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const text = await response.text();
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      expect(Object.keys(body)).toEqual(['error']);
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message']);
      expect(body.error.code).toBe(code);
      expect(body.error.message).not.toMatch(INTERNALS);
      expect(text).not.toContain(KEY);
      expect(body.error.message).toContain(`request id ${response.headers.get('x-request-id')}`);
      // The details are not lost: they are in the log, with the request id.
      const errors = logger.lines.slice(logged).filter((line) => line.includes('"level":"ERROR"'));
      expect(errors.some((line) => line.includes(response.headers.get('x-request-id')!))).toBe(true);
    },
  );
});

describe('request body cap, on a real socket of the local server', () => {
  let local: LocalServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'hardening-local-'));
    const env = { DEEPSET_API_URL: stack.emulator.url, DEEPSET_API_KEY: KEY, DEEPSET_WORKSPACES: 'demo' };
    local = await startLocalServer({ port: 0, dataDir, env, logger: { info: () => {}, error: () => {} } });
  });
  afterAll(async () => {
    await local?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  /** Sends a POST with `size` bytes, declared (Content-Length) or chunked; resolves status and body. */
  function post(size: number, chunked: boolean): Promise<{ status: number; body: string }> {
    const url = new URL(`${local.url}/workspaces/demo/reports`);
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method: 'POST',
          headers: chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': size },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk) => {
            body += String(chunk);
          });
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      // The server may answer and close before reading everything: that is the point.
      req.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
      );
      const chunk = Buffer.alloc(64 * 1024, 'x');
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
          sent += part.length;
          if (!req.write(part)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
  }

  it.each([
    ['just over the cap, with Content-Length', MAX_BODY_BYTES + 1, false],
    ['just over the cap, chunked', MAX_BODY_BYTES + 1, true],
    ['8 MiB, chunked', 8 * 1024 * 1024, true],
  ] as const)('%s: 413 JSON, no run started', async (_, size, chunked) => {
    const requests = stack.emulator.stats.requests;
    const { status, body } = await post(size, chunked);
    expect(status).toBe(413);
    expect(JSON.parse(body)).toEqual({
      error: { code: 'PAYLOAD_TOO_LARGE', message: `request body over ${MAX_BODY_BYTES} bytes` },
    });
    expect(stack.emulator.stats.requests, 'no report ran').toBe(requests);
    expect((await fetch(`${local.url}/healthz`)).status, 'the server is still up').toBe(200);
  });
});
