/**
 * A server that sends its headers and part of the body, then stalls. The emulator's `hang`
 * fault never sends headers, so this case needs its own tiny real HTTP server (no fetch mocks).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RetriesExhaustedError, UploadSessionsClient } from '../../lib/api';
import { rejectionOf } from './emulator-fixture';

let server: Server;
let baseUrl: string;
let requests = 0;

beforeAll(async () => {
  server = createServer((_request, response) => {
    requests++;
    const body = JSON.stringify({ data: [], has_more: false, total: 0 });
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(body.length) });
    response.write(body.slice(0, 10)); // ...and never the rest
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

it('the per-attempt timeout covers the body, not only the headers', async () => {
  const client = new UploadSessionsClient({
    baseUrl,
    apiKey: 'k',
    timeoutMs: 150,
    maxAttempts: 2,
    baseDelayMs: 5,
  });
  const started = performance.now();
  const error = await rejectionOf(client.listSessions('demo'));
  expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  expect(error).toBeInstanceOf(RetriesExhaustedError);
  expect((error as RetriesExhaustedError).cause).toMatchObject({ reason: 'timeout' });
  expect(requests).toBe(2);
  expect(client.stats).toMatchObject({ requests: 2, retries: 1, inFlight: 0 });
});
