/**
 * A 404 that does not come from the API (an API URL without `/api/v1`, a web server's page)
 * says to check the URL, instead of claiming the workspace does not exist. Real HTTP: the
 * emulator at the wrong path (it answers unknown paths as FastAPI does) and a plain web server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { runCli } from '../../functions/cli/run-cli';
import { NotFoundError, WrongApiUrlError } from '../../lib/api';
import { errorForStatus } from '../../lib/api/status-errors';
import { describeFailure } from '../../lib/report/failure';
import { capturedCliIo } from '../support/captured-io';
import { API_KEY, clientFor, rejectionOf, startTestEmulator, WORKSPACE } from './emulator-fixture';

const HINT = 'check that the URL ends in /api/v1';
let emulator: RunningEmulator;
let webServer: Server;
let webUrl: string;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wrong-url-'));
  emulator = await startTestEmulator({ sessions: 2, maxFiles: 10 });
  webServer = createServer((_req, res) =>
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><h1>404 Not Found</h1>nginx</html>'),
  );
  await new Promise<void>((resolve) => webServer.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(webServer.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => webServer.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const withoutApiV1 = () => emulator.url.replace(/\/api\/v1$/, '');

describe('a 404 that is not the API speaking', () => {
  it('the API URL without /api/v1: says to check the URL, not that the workspace is missing', async () => {
    const client = clientFor(emulator, { baseUrl: withoutApiV1() });
    const error = await rejectionOf(client.listSessions(WORKSPACE));
    expect(error).toBeInstanceOf(WrongApiUrlError);
    expect(describeFailure(error)).toEqual({
      code: 'API_URL_WRONG',
      message: `the API URL answered 404 to GET /workspaces/{w}/upload_sessions, not as the API would: ${HINT}`,
    });
  });

  it('a web server page: the same hint, and none of its page', async () => {
    const client = clientFor(emulator, { baseUrl: webUrl });
    const failure = describeFailure(await rejectionOf(client.listSessions(WORKSPACE)));
    expect(failure.code).toBe('API_URL_WRONG');
    expect(failure.message).not.toMatch(/nginx|<h1>/);
  });

  it('the CLI ends with that one line, exit 1', async () => {
    const { text, io } = capturedCliIo();
    const env = { DEEPSET_API_KEY: API_KEY };
    const argv = ['-w', WORKSPACE, '--api-url', withoutApiV1(), '--out', join(dir, 'run')];
    const code = await runCli(argv, env, io);
    expect(code).toBe(1);
    expect(text.err).toMatch(new RegExp(`^error: the API URL answered 404 .*${HINT}\\n$`));
    expect(text.err).not.toContain('was not found');
  });

  it('a real missing workspace at the right URL is still "not found"', async () => {
    const client = clientFor(emulator);
    const error = await rejectionOf(client.listSessions('ghost'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(describeFailure(error)).toEqual({
      code: 'WORKSPACE_NOT_FOUND',
      message: 'workspace "ghost" was not found',
    });
  });

  it('FastAPI\'s bare {"detail":"Not Found"} (no route) is not the API speaking; a session 404 always is', () => {
    const sessions = { endpoint: 'GET /workspaces/{w}/upload_sessions', workspace: 'demo' };
    const files = { ...sessions, endpoint: 'GET /workspaces/{w}/upload_sessions/{id}/files', sessionId: 's' };
    const bare = '{"detail":"Not Found"}';
    expect(errorForStatus(404, new Headers(), bare, sessions, 'k')).toBeInstanceOf(WrongApiUrlError);
    expect(errorForStatus(404, new Headers(), '', sessions, 'k')).toBeInstanceOf(WrongApiUrlError);
    expect(errorForStatus(404, new Headers(), bare, files, 'k')).toBeInstanceOf(NotFoundError);
  });
});
