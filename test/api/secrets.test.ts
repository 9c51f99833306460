import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../emulator/faults';
import type { RunningEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import {
  API_KEY,
  clientFor,
  collect,
  largestSession,
  rejectionOf,
  resetFaults,
  startTestEmulator,
  WORKSPACE,
} from './emulator-fixture';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator.close());
afterEach(() => resetFaults(emulator));

/** Every way an error or event might be printed: message, stack, JSON, inspect, along the cause chain. */
function renderings(value: unknown): string[] {
  const out = [JSON.stringify(value) ?? '', inspect(value, { depth: 10, showHidden: true }), String(value)];
  for (let current: unknown = value; current instanceof Error; current = current.cause) {
    out.push(current.message, current.stack ?? '', JSON.stringify(current));
  }
  return out;
}

function expectNoKey(value: unknown): void {
  for (const text of renderings(value)) expect(text).not.toContain(API_KEY);
}

describe('the API key never leaks', () => {
  it('from errors of any kind', async () => {
    const client = clientFor(emulator, { maxAttempts: 2, timeoutMs: 150 });
    const session = largestSession(emulator).session_id;
    const errors: Error[] = [];
    const failing = (faults: Fault[]) => {
      emulator.faults.script = faults;
      return rejectionOf(client.listSessionFiles(WORKSPACE, session));
    };
    for (const kind of ['reset', 'hang', 'truncate', 'invalid-json', 'rate-limit', 'server-error'] as const) {
      errors.push(
        await failing([
          { kind, html: true, retryAfter: '0' },
          { kind, retryAfter: '0' },
        ]),
      );
    }
    errors.push(await failing([{ kind: 'server-error', status: 401, html: true }]));
    errors.push(
      await rejectionOf(clientFor(emulator, { apiKey: `${API_KEY}-wrong` }).listSessions(WORKSPACE)),
    );
    errors.push(await rejectionOf(client.listSessions('nowhere')));
    errors.push(await rejectionOf(client.listSessions(WORKSPACE, { limit: 1000 })));
    emulator.faults.script = [];
    emulator.faults.dropField = { endpoint: 'sessions', field: 'session_id' };
    errors.push(await rejectionOf(collect(client.sessions(WORKSPACE))));
    const unreachable = new UploadSessionsClient({
      baseUrl: 'http://127.0.0.1:9/api/v1',
      apiKey: API_KEY,
      maxAttempts: 1,
    });
    errors.push(await rejectionOf(unreachable.listSessions(WORKSPACE)));

    expect(errors.map((e) => e.name)).toEqual([
      ...Array(6).fill('RetriesExhaustedError'),
      'UnauthorizedError',
      'UnauthorizedError',
      'NotFoundError',
      'ValidationError',
      'InvalidResponseError',
      'RetriesExhaustedError',
    ]);
    for (const error of errors) expectNoKey(error);
  });

  it('from onRetry events', async () => {
    const events: unknown[] = [];
    const client = clientFor(emulator, { onRetry: (event) => events.push(event) });
    emulator.faults.script = [
      { kind: 'reset' },
      { kind: 'server-error', html: true },
      { kind: 'rate-limit', retryAfter: '0' },
    ];
    await client.listSessions(WORKSPACE);
    expect(events).toHaveLength(3);
    for (const event of events) expectNoKey(event);
  });

  it('from the client itself', () => {
    const client = clientFor(emulator);
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      baseUrl: emulator.url,
      stats: client.toJSON().stats,
    });
    expectNoKey(client);
    expect(Object.keys(client)).toEqual(['stats']);
  });
});
