/**
 * Links and redirects never come from the Host header, which the caller chooses: on a local
 * server they use the listening address, on Lambda the Function URL's domain from the event,
 * and PUBLIC_BASE_URL wins over both. Requests go over a real socket with a forged Host.
 */

import type { Server } from 'node:http';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../functions/http/app';
import { UploadSessionsClient } from '../../lib/api';
import { followRun } from './run-to-end';
import { type HttpFixture, startHttpFixture, TEST_API_KEY } from './support';

let fx: HttpFixture;
const servers: Server[] = [];

beforeAll(async () => {
  fx = await startHttpFixture({ emulator: { sessions: 3, maxFiles: 20 } });
});
afterAll(async () => {
  for (const server of servers) server.close();
  await fx?.close();
});

async function listen(publicBaseUrl?: string): Promise<number> {
  const app = createHttpApp({
    store: fx.store,
    logger: { info: () => {}, error: () => {} },
    createClient: async () => new UploadSessionsClient({ baseUrl: fx.emulator.url, apiKey: TEST_API_KEY }),
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(started as Server),
    );
  });
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

/** A raw HTTP request with a forged Host header. */
function forged(
  port: number,
  method: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { Host: 'evil.example.com' } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the Host header', () => {
  it('does not reach links: a local server uses its listening address', async () => {
    const port = await listen();
    const posted = await forged(port, 'POST', '/workspaces/demo/reports');
    expect(posted.status).toBe(202);
    expect(posted.headers.location).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${port}/workspaces/demo/reports/`),
    );
    await followRun(fx.app, String(posted.headers.location));
    for (const path of [
      '/workspaces/demo/reports/latest',
      '/workspaces/demo/reports',
      '/workspaces',
      '/openapi.json',
    ]) {
      const response = await forged(port, 'GET', path);
      expect(response.status, path).toBe(200);
      expect(response.body, path).not.toContain('evil.example.com');
      expect(response.body, path).toContain(`http://127.0.0.1:${port}`);
    }
  });

  it('PUBLIC_BASE_URL wins', async () => {
    const port = await listen('https://reports.example.com');
    const response = await forged(port, 'GET', '/workspaces/demo/reports/latest');
    const body = JSON.parse(response.body) as { links: { self: string; dashboard: string } };
    expect(body.links.self).toMatch(/^https:\/\/reports\.example\.com\/workspaces\/demo\/reports\//);
    expect(body.links.dashboard).toBe('https://reports.example.com/workspaces/demo/dashboard');
  });

  it('on Lambda, the Function URL domain of the event is used', async () => {
    const app = createHttpApp({
      store: fx.store,
      logger: { info: () => {}, error: () => {} },
      createClient: async () => new UploadSessionsClient({ baseUrl: fx.emulator.url, apiKey: TEST_API_KEY }),
    });
    const domain = 'abcdefghijklmnop.lambda-url.eu-central-1.on.aws';
    const response = await app.fetch(
      new Request('https://evil.example.com/workspaces/demo/reports/latest', {
        headers: { Host: 'evil.example.com' },
      }),
      { requestContext: { domainName: domain } },
    );
    const body = (await response.json()) as { links: { self: string } };
    expect(body.links.self.startsWith(`https://${domain}/workspaces/demo/reports/`)).toBe(true);
  });
});
