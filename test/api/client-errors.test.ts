import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { touch } from '../../emulator/dataset';
import type { RunningEmulator } from '../../emulator/server';
import {
  ApiError,
  InvalidResponseError,
  NotFoundError,
  UnauthorizedError,
  type UploadSessionsClient,
  ValidationError,
} from '../../lib/api';
import {
  clientFor,
  collect,
  demoSessions,
  largestSession,
  rejectionOf,
  resetFaults,
  startTestEmulator,
  WORKSPACE,
} from './emulator-fixture';

const UNKNOWN_SESSION = '00000000-0000-4000-8000-000000000000';
let emulator: RunningEmulator;
let client: UploadSessionsClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = clientFor(emulator);
});
afterAll(() => emulator.close());
afterEach(() => resetFaults(emulator));

/** The rejection of `call`, and how many requests reached the emulator meanwhile. */
async function failOnce(call: () => Promise<unknown>): Promise<{ error: Error; requests: number }> {
  const before = emulator.stats.requests;
  const error = await rejectionOf(call());
  return { error, requests: emulator.stats.requests - before };
}

describe('errors that are never retried', () => {
  it('404 on the sessions endpoint is the workspace, URL-encoded as a path segment', async () => {
    const routedBefore = emulator.stats.sessionsRequests;
    const { error, requests } = await failOnce(() => client.listSessions('no such/space?x=1'));
    expect(requests).toBe(1);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ resource: 'workspace', id: 'no such/space?x=1', status: 404 });
    expect(error.message).toContain('workspace "no such/space?x=1" not found');
    // The encoded slash and `?` kept the request on the sessions route (unencoded, it would not match).
    expect(emulator.stats.sessionsRequests - routedBefore).toBe(1);
  });

  it('404 on the files endpoint is the session', async () => {
    const { error, requests } = await failOnce(() => client.listSessionFiles(WORKSPACE, UNKNOWN_SESSION));
    expect(requests).toBe(1);
    expect(error).toMatchObject({ name: 'NotFoundError', resource: 'session', id: UNKNOWN_SESSION });
    expect(error.message).toContain(`session "${UNKNOWN_SESSION}" not found`);
    expect(error.message).toContain('workspace "demo"');
  });

  it('a session that vanished mid-run answers 404', async () => {
    const session = demoSessions(emulator)[0]!;
    emulator.faults.vanishedSessions.add(session.session_id);
    const error = await rejectionOf(collect(client.sessionFiles(WORKSPACE, session.session_id)));
    expect(error).toMatchObject({ name: 'NotFoundError', resource: 'session', id: session.session_id });
  });

  it('403 for a wrong key: the fixed message, one request', async () => {
    const stranger = clientFor(emulator, { apiKey: 'not-the-key' });
    const { error, requests } = await failOnce(() => stranger.listSessions(WORKSPACE));
    expect(requests).toBe(1);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error).toMatchObject({ status: 403, message: 'the API key was rejected (403)' });
  });

  it('401 with a proxy HTML body, one request', async () => {
    emulator.faults.script = [{ kind: 'server-error', status: 401, html: true }];
    const { error, requests } = await failOnce(() => client.listSessions(WORKSPACE));
    expect(requests).toBe(1);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe('the API key was rejected (401)');
  });

  it('422 carries FastAPI detail, one request', async () => {
    const { error, requests } = await failOnce(() => client.listSessions(WORKSPACE, { limit: 101 }));
    expect(requests).toBe(1);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).detail[0]?.loc).toEqual(['query', 'limit']);
    expect(error.message).toMatch(/^GET \/workspaces\/\{w\}\/upload_sessions rejected the request \(422\)/);
    const badId = await failOnce(() => client.listSessionFiles(WORKSPACE, 'not-a-uuid'));
    expect(badId.requests).toBe(1);
    expect((badId.error as ValidationError).detail[0]?.loc).toEqual(['path', 'session_id']);
  });

  it('another 4xx is a plain ApiError with the status, one request', async () => {
    emulator.faults.script = [{ kind: 'server-error', status: 418, html: true }];
    const { error, requests } = await failOnce(() => client.listSessions(WORKSPACE));
    expect(requests).toBe(1);
    expect(error.constructor).toBe(ApiError);
    expect(error).toMatchObject({ status: 418, endpoint: 'GET /workspaces/{w}/upload_sessions' });
    expect(error.message).toBe(
      'GET /workspaces/{w}/upload_sessions answered 418 for workspace "demo": 418 Error',
    );
  });
});

describe('schema drift', () => {
  it('a missing file field is an InvalidResponseError naming field and endpoint, not retried', async () => {
    emulator.faults.dropField = { endpoint: 'files', field: 'name' };
    const session = largestSession(emulator);
    const { error, requests } = await failOnce(() => client.listSessionFiles(WORKSPACE, session.session_id));
    expect(requests).toBe(1);
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toMatch(
      /^invalid response from GET \/workspaces\/\{w\}\/upload_sessions\/\{id\}\/files: data\[0\]\.name: Invalid input: expected string, received undefined/,
    );
    expect((error as InvalidResponseError).issues[0]).toMatchObject({ path: ['data', 0, 'name'] });
  });

  it('a missing session field names it too', async () => {
    emulator.faults.dropField = { endpoint: 'sessions', field: 'created_by' };
    const error = await rejectionOf(collect(client.sessions(WORKSPACE)));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error.message).toContain('GET /workspaces/{w}/upload_sessions: data[0].created_by: Invalid input');
  });

  it('extra fields are dropped and timestamps with +00:00 read as Z', async () => {
    emulator.faults.extraFields = true;
    const session = demoSessions(emulator)[1]!;
    const original = session.created_at;
    session.created_at = original.replace(/Z$/, '+00:00');
    touch(emulator.dataset);
    try {
      const sessions = await collect(client.sessions(WORKSPACE));
      expect(sessions).toHaveLength(30);
      expect(Object.keys(sessions[0]!).sort()).toEqual(
        ['created_at', 'created_by', 'expires_at', 'session_id', 'status', 'write_mode'].sort(),
      );
      expect(sessions.find((s) => s.session_id === session.session_id)?.created_at).toBe(original);
      const files = await collect(client.sessionFiles(WORKSPACE, largestSession(emulator).session_id));
      expect(files).toHaveLength(1200);
      expect(files[0]).not.toHaveProperty('schema_version');
    } finally {
      session.created_at = original;
      touch(emulator.dataset);
    }
  });
});

describe('unknown enum values', () => {
  it('are kept as given, never a crash', async () => {
    const drifted = await startTestEmulator({ unknownEnums: true, sessions: 12, maxFiles: 400 });
    try {
      const drift = clientFor(drifted);
      const sessions = await collect(drift.sessions(WORKSPACE));
      expect(sessions.map((s) => s.status)).toContain('ARCHIVED');
      expect(sessions.map((s) => s.write_mode)).toContain('APPEND');
      const statuses = new Set<string>();
      for (const session of sessions) {
        for await (const file of drift.sessionFiles(WORKSPACE, session.session_id))
          statuses.add(file.ingestion_status);
      }
      expect(statuses).toContain('QUEUED');
    } finally {
      await drifted.close();
    }
  });
});
