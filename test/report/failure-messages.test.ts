/**
 * The line a failed run ends with says which kind of trouble it met when retries ran out, as
 * each calls for something else: rate limited, unreachable (connection errors, timeouts),
 * server errors (5xx), or invalid/truncated responses. Real errors from a real client against
 * the emulator; no message quotes what the upstream sent.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Fault } from '../../emulator/faults';
import type { RunningEmulator } from '../../emulator/server';
import { describeFailure } from '../../lib/report/failure';
import { clientFor, rejectionOf, resetFaults, startTestEmulator, WORKSPACE } from '../api/emulator-fixture';

const ATTEMPTS = 2;
/** What the emulator's faults carry in their bodies. */
const UPSTREAM_TEXT = /Too Many Requests|Unavailable|Bad Gateway|<html|\.\.\. not json|"data"/i;

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterEach(() => resetFaults(emulator));
afterAll(() => emulator.close());

const SESSIONS = 'GET /workspaces/{w}/upload_sessions';

describe('when retries run out, the failure says what kind of trouble it was', () => {
  const cases: { fault: Fault; code: string; message: string }[] = [
    {
      fault: { kind: 'rate-limit', retryAfter: '0', html: true },
      code: 'API_RATE_LIMITED',
      message: `the API kept rate limiting requests after 2 attempts (last: HTTP 429 from ${SESSIONS})`,
    },
    {
      fault: { kind: 'server-error', status: 503, html: true },
      code: 'API_SERVER_ERROR',
      message: `the API kept failing with server errors after 2 attempts (last: HTTP 503 from ${SESSIONS})`,
    },
    {
      fault: { kind: 'server-error', status: 502 },
      code: 'API_SERVER_ERROR',
      message: `the API kept failing with server errors after 2 attempts (last: HTTP 502 from ${SESSIONS})`,
    },
    {
      fault: { kind: 'truncate' },
      code: 'INVALID_RESPONSE',
      message: `the API kept sending invalid or truncated responses after 2 attempts (last: a body that is not JSON from ${SESSIONS})`,
    },
    {
      fault: { kind: 'invalid-json' },
      code: 'INVALID_RESPONSE',
      message: `the API kept sending invalid or truncated responses after 2 attempts (last: a body that is not JSON from ${SESSIONS})`,
    },
    {
      fault: { kind: 'reset' },
      code: 'API_UNREACHABLE',
      message: `the API could not be reached after 2 attempts (last: connection failed for ${SESSIONS})`,
    },
    {
      fault: { kind: 'hang' },
      code: 'API_UNREACHABLE',
      message: `the API could not be reached after 2 attempts (last: timed out for ${SESSIONS})`,
    },
  ];

  it.each(cases)('$fault.kind $fault.status -> $code', async ({ fault, code, message }) => {
    emulator.faults.script = Array.from({ length: ATTEMPTS }, () => fault);
    const client = clientFor(emulator, { maxAttempts: ATTEMPTS, timeoutMs: 300 });
    const error = await rejectionOf(client.listSessions(WORKSPACE));
    const failure = describeFailure(error);
    expect(failure).toEqual({ code, message });
    expect(failure.message).not.toMatch(UPSTREAM_TEXT);
  });

  it('names no unreachable API for a server that answers with errors', async () => {
    emulator.faults.script = [
      { kind: 'server-error', status: 500 },
      { kind: 'rate-limit', retryAfter: '0' },
    ];
    const client = clientFor(emulator, { maxAttempts: ATTEMPTS });
    const failure = describeFailure(await rejectionOf(client.listSessions(WORKSPACE)));
    // The last attempt decides: it was rate limited.
    expect(failure.code).toBe('API_RATE_LIMITED');
    expect(failure.message).not.toMatch(/could not be reached/);
  });
});
