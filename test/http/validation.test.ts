/**
 * Hostile input never reaches an S3 key or the upstream URL: each bad workspace name, run id,
 * file name and query value is a 400 that names the parameter, and neither the emulator nor the
 * store sees anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, type HttpFixture, startHttpFixture } from './support';

let fx: HttpFixture;
beforeAll(async () => {
  fx = await startHttpFixture();
});
afterAll(() => fx?.close());

/** Asserts a 400 INVALID_PARAMETER naming `parameter`, with `reason` in the message. */
async function expectRejected(path: string, parameter: string, reason: RegExp, method = 'GET') {
  const requestsBefore = fx.emulator.stats.requests;
  const response = await fx.app.request(path, { method });
  expect(response.status, path).toBe(400);
  const error = await errorOf(response);
  expect(error.code).toBe('INVALID_PARAMETER');
  expect(error.message).toContain(`"${parameter}"`);
  expect(error.message).toMatch(reason);
  expect(fx.emulator.stats.requests, 'no upstream request').toBe(requestsBefore);
}

const BAD_WORKSPACES: [string, string, RegExp][] = [
  ['traversal with an encoded slash', '..%2F..%2Fetc', /slashes/],
  ['an encoded slash', 'demo%2Fother', /slashes/],
  ['an encoded backslash', 'demo%5C..', /slashes/],
  ['encoded dots inside a name', 'x%2E%2E', /"\.\."/],
  ['dots inside', 'a..b', /"\.\."/],
  ['a double-encoded slash', 'demo%252Fx', /percent-encoded/],
  ['129 characters', 'a'.repeat(129), /at most 128/],
  ['a NUL', 'de%00mo', /control characters/],
  ['a newline', 'de%0Amo', /control characters/],
  ['an escape character', 'de%1Bmo', /control characters/],
  ['DEL', 'de%7Fmo', /control characters/],
  ['a Cyrillic look-alike (dеmo)', 'd%D0%B5mo', /ASCII/],
  ['a fullwidth look-alike', '%EF%BD%84emo', /ASCII/],
  ['a zero-width space', 'de%E2%80%8Bmo', /ASCII/],
  ['a space', 'de%20mo', /letters, digits/],
  ['a leading hyphen', '-demo', /starting with a letter or digit/],
  ['a dot', 'demo.bak', /letters, digits/],
];

describe('workspace names', () => {
  it.each(BAD_WORKSPACES)('rejects %s', async (_, name, reason) => {
    await expectRejected(`/workspaces/${name}/reports`, 'workspace', reason, 'POST');
  });

  it.each([
    ['GET', '/reports'],
    ['GET', '/reports/latest'],
    ['GET', '/reports/latest/sessions.csv'],
    ['GET', '/dashboard'],
  ])('is checked on %s /workspaces/{workspace}%s too', async (method, rest) => {
    for (const [, name, reason] of BAD_WORKSPACES) {
      await expectRejected(`/workspaces/${name}${rest}`, 'workspace', reason, method);
    }
  });

  it('accepts 128 characters, and names with "_" and "-"', async () => {
    for (const name of ['a'.repeat(128), 'Team_Alpha-2']) {
      const response = await fx.app.request(`/workspaces/${name}/reports`);
      expect(response.status).toBe(200);
    }
  });

  it('leaves dot segments to the URL parser: they resolve to a path that matches no route', async () => {
    for (const path of [
      '/workspaces/%2E%2E/reports',
      '/workspaces/../reports',
      '/workspaces/demo/reports/.%2e/latest.json',
    ]) {
      const response = await fx.app.request(path);
      expect(response.status, path).toBe(404);
      expect((await errorOf(response)).code).toBe('NOT_FOUND');
    }
  });

  it('never wrote anything to the store for a rejected name', async () => {
    expect(await fx.store.list('')).toEqual([]);
  });
});

describe('run ids', () => {
  it.each([
    ['a near-miss of latest', 'latest2'],
    ['a short suffix', '20261123T070630123Z-4f9c2'],
    ['upper case hex', '20261123T070630123Z-4F9C2A'],
    ['traversal', '..%2Flatest.json'],
    ['encoded dots inside', 'latest%2E%2E'],
    ['a control character', '20261123T070630123Z-4f9c2a%0A'],
  ])('rejects %s', async (_, run) => {
    await expectRejected(`/workspaces/demo/reports/${run}`, 'run', /run id/);
    await expectRejected(`/workspaces/demo/reports/${run}/sessions.csv`, 'run', /run id/);
  });
});

describe('file names', () => {
  it.each(['latest.json', 'secret.txt', '..%2Fsummary.json', 'sessions.csv%00', 'SESSIONS.CSV'])(
    'rejects %s',
    async (file) => {
      await expectRejected(`/workspaces/demo/reports/latest/${file}`, 'file', /expected one of/);
    },
  );
});

describe('query parameters', () => {
  it.each([
    ['/workspaces/demo/reports?mode=fast', 'mode', /expected one of/, 'POST'],
    ['/workspaces/demo/reports?cursor=..%2F', 'cursor', /run id/, 'GET'],
  ])('rejects %s', async (path, parameter, reason, method) => {
    await expectRejected(path, parameter, reason, method);
  });

  // Only plain decimal digits are a number here: Number() would also take exponents, hex,
  // signs and blanks, and an empty value would read as 0.
  const LIMIT_MESSAGE =
    /^invalid query parameter "limit": must be a whole number from 1 to 100, in decimal digits$/;
  it.each([
    '0',
    '101',
    'many',
    '2.5',
    '1e1',
    '0x10',
    '0b11',
    '+5',
    '%2B5',
    '-1',
    '%2010',
    '10%20',
    '010',
    '',
    '1_0',
    '９',
  ])('rejects limit=%s with one message that says what a limit is', async (value) => {
    await expectRejected(`/workspaces/demo/reports?limit=${value}`, 'limit', LIMIT_MESSAGE);
  });

  it.each([
    ['/workspaces/demo/reports?limit=5&limit=6', 'limit', 'GET'],
    ['/workspaces/demo/reports?limit=5&limit=5', 'limit', 'GET'],
    ['/workspaces/demo/reports?mode=full&mode=summary', 'mode', 'POST'],
    [
      '/workspaces/demo/reports?cursor=20261123T070630123Z-4f9c2a&cursor=20261123T070630123Z-4f9c2b',
      'cursor',
      'GET',
    ],
  ])('rejects %s: a parameter given twice', async (path, parameter, method) => {
    await expectRejected(path, parameter, /must be given at most once$/, method);
  });

  it.each([
    ['1', 1],
    ['100', 100],
    ['7', 7],
  ])('accepts limit=%s', async (value, expected) => {
    const response = await fx.app.request(`/workspaces/demo/reports?limit=${value}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: unknown[] }).items.length).toBeLessThanOrEqual(expected);
  });

  it('documents limit as an integer with its range and default', async () => {
    const doc = (await (await fx.app.request('/openapi.json')).json()) as {
      paths: Record<string, { get: { parameters: { name: string; schema: Record<string, unknown> }[] } }>;
    };
    const limit = doc.paths['/workspaces/{workspace}/reports']?.get.parameters.find(
      (p) => p.name === 'limit',
    );
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 20 });
  });
});
