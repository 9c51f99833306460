import { describe, expect, it } from 'vitest';
import {
  ApiError,
  type NotFoundError,
  TransientError,
  UnauthorizedError,
  ValidationError,
} from '../../lib/api/errors';
import { excerpt } from '../../lib/api/excerpt';
import { errorForStatus } from '../../lib/api/status-errors';

const SECRET = 'sk-test-0123456789';
const sessions = { endpoint: 'GET /workspaces/{w}/upload_sessions', workspace: 'demo' };
const files = {
  endpoint: 'GET /workspaces/{w}/upload_sessions/{id}/files',
  workspace: 'demo',
  sessionId: 's-1',
};
const html = `<html><head><style>body{color:red}</style><script>var k="x"</script></head>
<body><h1>502 Bad Gateway</h1><p>Authorization: Bearer ${SECRET}</p>${'<p>filler</p>'.repeat(100)}</body></html>`;

describe('errorForStatus', () => {
  it('maps 401/403 to the fixed unauthorized message', () => {
    const error = errorForStatus(403, new Headers(), html, sessions, SECRET);
    expect(error).toBeInstanceOf(UnauthorizedError);
    expect(error.message).toBe('the API key was rejected (403)');
    expect(error.status).toBe(403);
  });

  it('maps 404 to the workspace on the sessions endpoint and to the session on the files endpoint', () => {
    const apiBody = `{"detail":"There's no workspace with the name 'demo'. Check if the name is correct."}`;
    const workspace = errorForStatus(404, new Headers(), apiBody, sessions, SECRET) as NotFoundError;
    expect([workspace.resource, workspace.id]).toEqual(['workspace', 'demo']);
    const session = errorForStatus(404, new Headers(), '{"detail":"x"}', files, SECRET) as NotFoundError;
    expect([session.resource, session.id]).toEqual(['session', 's-1']);
    expect(session.message).toBe(
      'session "s-1" not found (404 from GET /workspaces/{w}/upload_sessions/{id}/files, workspace "demo", session "s-1")',
    );
  });

  it('parses a FastAPI 422 body, and tolerates one that is not JSON', () => {
    const body = JSON.stringify({
      detail: [{ loc: ['query', 'limit'], msg: 'too big', type: 'less_than_equal' }],
    });
    const error = errorForStatus(422, new Headers(), body, sessions, SECRET) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.detail).toHaveLength(1);
    expect(error.message).toContain('query.limit: too big');
    expect((errorForStatus(422, new Headers(), html, sessions, SECRET) as ValidationError).detail).toEqual(
      [],
    );
  });

  it('makes 429 and 5xx transient, with Retry-After', () => {
    const throttled = errorForStatus(429, new Headers({ 'retry-after': '3' }), '', sessions, SECRET);
    expect(throttled).toBeInstanceOf(TransientError);
    expect(throttled).toMatchObject({ reason: 'rate-limited', status: 429, retryAfterMs: 3_000 });
    const gateway = errorForStatus(502, new Headers(), html, files, SECRET) as TransientError;
    expect(gateway).toMatchObject({ reason: 'server-error', status: 502 });
    expect(gateway.message).toContain('502 Bad Gateway');
    expect(gateway.message).not.toContain(SECRET);
  });

  it('maps other statuses to a plain ApiError with the status', () => {
    const error = errorForStatus(400, new Headers(), 'bad', sessions, SECRET);
    expect(error.constructor).toBe(ApiError);
    expect(error.status).toBe(400);
    expect(error.message).toBe('GET /workspaces/{w}/upload_sessions answered 400 for workspace "demo": bad');
  });
});

describe('excerpt', () => {
  it('strips markup and scripts, redacts the key, and stays short', () => {
    const snippet = excerpt(html, SECRET);
    expect(snippet.startsWith('502 Bad Gateway Authorization: Bearer [redacted]')).toBe(true);
    expect(snippet).not.toMatch(/[<>]|color:red|var k/);
    expect(snippet.length).toBeLessThanOrEqual(200);
    expect(excerpt(`token ${SECRET}\u0000\u001b[31m\n\u202eend`, SECRET)).toBe(
      'token [redacted]\\u0000\\u001b[31m \\u202eend',
    );
  });
});
