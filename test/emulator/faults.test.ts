import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { touch } from '../../emulator/dataset';
import { createFaults, type EmulatorRequest } from '../../emulator/faults';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { filesPath, get, NOW, sessionsOf, sessionsPath } from './helpers';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 9, sessions: 8, maxFiles: 150, now: NOW });
});
afterEach(() => {
  Object.assign(emulator.faults, createFaults(), { dropField: undefined, onRequest: undefined });
  emulator.faults.maxRequestsPerSecond = undefined;
});
afterAll(() => emulator.close());

const firstSession = () => sessionsOf(emulator).find((s) => s.files.length > 2)!;

describe('rate limiting', () => {
  it('429 with Retry-After in seconds, JSON body', async () => {
    emulator.faults.script.push({ kind: 'rate-limit', retryAfter: '7' });
    const answer = await get(emulator, sessionsPath());
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.body).toEqual({ detail: 'Too Many Requests' });
    expect((await get(emulator, sessionsPath())).status).toBe(200);
  });

  it('429 with Retry-After as an HTTP date, HTML body', async () => {
    const date = new Date(Date.now() + 3000).toUTCString();
    emulator.faults.script.push({ kind: 'rate-limit', retryAfter: date, html: true });
    const answer = await get(emulator, sessionsPath());
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe(date);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.text).toContain('<h1>429 Too Many Requests</h1>');
  });

  it('maxRequestsPerSecond answers 429 with Retry-After: 1 beyond the limit', async () => {
    emulator.faults.maxRequestsPerSecond = 5;
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => get(emulator, sessionsPath(), { limit: 1 })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(5);
    expect(answers.filter((a) => a.status === 200).length).toBeLessThanOrEqual(7);
    expect(limited.every((a) => a.headers.get('retry-after') === '1')).toBe(true);
  });
});

describe('server errors', () => {
  it('each 5xx as a proxy HTML page, or as JSON', async () => {
    for (const status of [500, 502, 503, 504]) {
      emulator.faults.script.push({ kind: 'server-error', status, html: true });
      const answer = await get(emulator, sessionsPath());
      expect(answer.status).toBe(status);
      expect(answer.headers.get('content-type')).toContain('text/html');
      expect(answer.text).toMatch(new RegExp(`^<html><body><h1>${status} [A-Za-z -]+</h1></body></html>$`));
    }
    emulator.faults.script.push({ kind: 'server-error' });
    const json = await get(emulator, sessionsPath());
    expect(json.status).toBe(503);
    expect(json.body).toEqual({ detail: 'Service Temporarily Unavailable' });
  });

  it('503 HTML is the nginx page', async () => {
    emulator.faults.script.push({ kind: 'server-error', html: true });
    const answer = await get(emulator, sessionsPath());
    expect(answer.text).toBe('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
  });

  it('answers before auth, as a proxy in front of the API would', async () => {
    emulator.faults.script.push({ kind: 'server-error', status: 502 });
    expect((await get(emulator, sessionsPath(), {}, {})).status).toBe(502);
    expect((await get(emulator, sessionsPath(), {}, {})).status).toBe(401);
  });
});

describe('broken answers', () => {
  it('hang: never answers; the client gives up', async () => {
    emulator.faults.script.push({ kind: 'hang' });
    const started = Date.now();
    const request = fetch(`${emulator.url}${sessionsPath()}`, {
      headers: { authorization: 'Bearer k' },
      signal: AbortSignal.timeout(300),
    });
    await expect(request).rejects.toThrow(/timeout|aborted/i);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('truncate: 200 with half the JSON and a matching Content-Length', async () => {
    const whole = await get(emulator, sessionsPath(), { limit: 5 });
    emulator.faults.script.push({ kind: 'truncate' });
    const answer = await get(emulator, sessionsPath(), { limit: 5 });
    expect(answer.status).toBe(200);
    expect(answer.body).toBeUndefined();
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.text));
    expect(whole.text.startsWith(answer.text)).toBe(true);
    expect(answer.text.length).toBeLessThan(whole.text.length * 0.6);
  });

  it('invalid-json: 200 with a body that does not parse', async () => {
    emulator.faults.script.push({ kind: 'invalid-json' });
    const answer = await get(emulator, sessionsPath());
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"data": [ ... not json');
    expect(answer.body).toBeUndefined();
  });

  it('reset: the connection drops and fetch rejects', async () => {
    emulator.faults.script.push({ kind: 'reset' });
    await expect(
      fetch(`${emulator.url}${sessionsPath()}`, { headers: { authorization: 'Bearer k' } }),
    ).rejects.toThrow('fetch failed');
    expect((await get(emulator, sessionsPath())).status).toBe(200);
  });
});

describe('scripts, endpoints, randomness and latency', () => {
  it('consumes script entries in order, each by the first request to its endpoint', async () => {
    const session = firstSession();
    emulator.faults.script.push(
      { kind: 'server-error', endpoint: 'files', status: 500 },
      { kind: 'rate-limit' },
    );
    expect((await get(emulator, sessionsPath())).status).toBe(429);
    expect((await get(emulator, sessionsPath())).status).toBe(200);
    expect((await get(emulator, filesPath(session.session_id))).status).toBe(500);
    expect((await get(emulator, filesPath(session.session_id))).status).toBe(200);
    expect(emulator.faults.script).toEqual([]);
  });

  it('draws random faults from the fault seed: same seed, same sequence', async () => {
    const statuses = async (target: RunningEmulator) => {
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await get(target, sessionsPath(), { limit: 1 })).status);
      return out;
    };
    const random = [{ fault: { kind: 'server-error' as const, status: 502 }, probability: 0.4 }];
    const a = await startEmulator({ port: 0, sessions: 2, maxFiles: 1, faults: { random }, faultSeed: 4 });
    const b = await startEmulator({ port: 0, sessions: 2, maxFiles: 1, faults: { random }, faultSeed: 4 });
    try {
      const [first, second] = [await statuses(a), await statuses(b)];
      expect(first).toEqual(second);
      expect(first.filter((s) => s === 502).length).toBeGreaterThan(3);
      expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
      expect(a.stats.faultsInjected).toBe(first.filter((s) => s === 502).length);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('adds latency before every answer', async () => {
    emulator.faults.latencyMs = 120;
    const started = Date.now();
    expect((await get(emulator, sessionsPath())).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
  });
});

describe('data faults', () => {
  it('a vanished session is still listed, but its files answer 404', async () => {
    const session = firstSession();
    emulator.faults.vanishedSessions.add(session.session_id);
    const listed = await get(emulator, sessionsPath(), { limit: 100 });
    expect(listed.body.data.map((s: { session_id: string }) => s.session_id)).toContain(session.session_id);
    const files = await get(emulator, filesPath(session.session_id));
    expect(files.status).toBe(404);
    expect(files.body.detail).toContain(session.session_id);
  });

  it('dropField omits a field from every entry of one endpoint', async () => {
    emulator.faults.dropField = { endpoint: 'sessions', field: 'write_mode' };
    const sessions = await get(emulator, sessionsPath());
    expect(sessions.body.data.every((s: object) => !('write_mode' in s))).toBe(true);
    const files = await get(emulator, filesPath(firstSession().session_id));
    expect(files.body.data[0]).toHaveProperty('ingestion_status');
    emulator.faults.dropField = { endpoint: 'files', field: 'file_ingestion_id' };
    const drifted = await get(emulator, filesPath(firstSession().session_id));
    expect(drifted.body.data.every((f: object) => !('file_ingestion_id' in f))).toBe(true);
  });

  it('extraFields adds unknown fields to entries and the envelope', async () => {
    emulator.faults.extraFields = true;
    const answer = await get(emulator, filesPath(firstSession().session_id), { limit: 2 });
    expect(Object.keys(answer.body)).toEqual(
      expect.arrayContaining(['data', 'has_more', 'total', 'page_size']),
    );
    expect(answer.body.data[0]).toHaveProperty('schema_version');
    expect(answer.body.data[0]).toHaveProperty('file_ingestion_id');
  });

  it('onRequest lets a test change the data between pages', async () => {
    const seen: EmulatorRequest[] = [];
    const sessions = sessionsOf(emulator);
    const removed = sessions[sessions.length - 1]!;
    emulator.faults.onRequest = (request) => {
      seen.push(request);
      if (seen.length === 2) {
        sessions.pop();
        touch(emulator.dataset);
      }
    };
    try {
      const before = await get(emulator, sessionsPath(), { limit: 100 });
      const after = await get(emulator, sessionsPath(), { limit: 100 });
      expect(after.body.total).toBe(before.body.total - 1);
      expect(after.body.data.map((s: { session_id: string }) => s.session_id)).not.toContain(
        removed.session_id,
      );
      expect(seen[0]).toEqual({ endpoint: 'sessions', workspace: 'demo', query: { limit: '100' } });
    } finally {
      sessions.push(removed);
      touch(emulator.dataset);
    }
  });
});

describe('close', () => {
  it('does not wait for hung requests', async () => {
    const target = await startEmulator({
      port: 0,
      sessions: 1,
      maxFiles: 1,
      faults: { script: [{ kind: 'hang' }] },
    });
    const hung = fetch(`${target.url}${sessionsPath()}`, { headers: { authorization: 'Bearer k' } }).catch(
      (error: Error) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await target.close();
    expect(Date.now() - started).toBeLessThan(500);
    expect(await hung).toBeInstanceOf(Error);
    expect(target.stats).toMatchObject({ requests: 1, sessionsRequests: 1, faultsInjected: 1 });
  });
});
