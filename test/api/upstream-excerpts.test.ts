/**
 * Whatever an upstream sends back, the errors the client creates (message, stack, every cause,
 * every property, as a log would print them) carry at most a 200-character excerpt of it, with
 * control characters escaped; and the line a caller sees quotes none of it. A real HTTP server
 * plays the hostile upstream: huge bodies of numbered words, so any longer run of them shows.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UploadSessionsClient } from '../../lib/api';
import { describeFailure } from '../../lib/report/failure';
import { rejectionOf } from './emulator-fixture';

const KEY = 'excerpt-key-6b2d90';
/** 50,000 distinct words, after terminal escapes, a NUL, a bidi override, and the key. */
const HOSTILE = `\u001b[31mALERT\u001b[0m\u0000\u202e ${KEY} ${Array.from({ length: 50_000 }, (_, i) => `w${i}`).join(' ')}`;
/** Raw control, bidi and zero-width characters: an excerpt escapes them all. */
const RAW_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069]/;

let upstream: Server;
let baseUrl: string;
let answer: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();

beforeAll(async () => {
  upstream = createServer((req, res) => answer(req, res));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

/** The longest run of consecutive numbered words of HOSTILE in `text`, in characters. */
function longestRun(text: string): number {
  return Math.max(0, ...[...text.matchAll(/w\d+(?: w\d+)*/g)].map((match) => match[0].length));
}

/** Every string a log could print of `error`: inspect's view, and each message and stack down the causes. */
function loggable(error: unknown): string[] {
  const texts = [inspect(error, { depth: null, maxStringLength: null })];
  for (let e: unknown = error; e instanceof Error; e = e.cause) texts.push(e.message, e.stack ?? '');
  return texts;
}

const cases: { name: string; status: number; type: string; body: string }[] = [
  {
    name: '503 proxy page',
    status: 503,
    type: 'text/html',
    body: `<html><body><pre>${HOSTILE}</pre></body></html>`,
  },
  { name: '429 page', status: 429, type: 'text/plain', body: HOSTILE },
  { name: '200 that is not JSON', status: 200, type: 'application/json', body: HOSTILE },
  { name: '418 page', status: 418, type: 'text/plain', body: HOSTILE },
  {
    name: '422 whose FastAPI detail echoes everything',
    status: 422,
    type: 'application/json',
    body: JSON.stringify({
      detail: Array.from({ length: 12 }, () => ({
        loc: ['query', HOSTILE.slice(0, 20_000)],
        msg: HOSTILE.slice(0, 20_000),
        type: HOSTILE.slice(0, 20_000),
        input: HOSTILE,
        ctx: { echo: HOSTILE },
      })),
    }),
  },
];

describe('upstream bodies in errors', () => {
  it.each(cases)(
    '$name: an excerpt of at most 200 characters, escaped, never in the caller line',
    async (c) => {
      answer = (_req, res) => res.writeHead(c.status, { 'content-type': c.type }).end(c.body);
      const client = new UploadSessionsClient({ baseUrl, apiKey: KEY, maxAttempts: 2, baseDelayMs: 0 });
      const error = await rejectionOf(client.listSessions('demo'));
      const texts = loggable(error);

      expect(Math.max(...texts.map(longestRun))).toBeGreaterThan(0);
      for (const text of texts) {
        expect(longestRun(text)).toBeLessThanOrEqual(200);
        expect(text).not.toContain(KEY);
      }
      for (let e: unknown = error; e instanceof Error; e = e.cause) {
        expect(e.message).not.toMatch(RAW_CONTROLS);
      }
      const line = describeFailure(error).message;
      expect(longestRun(line)).toBe(0);
      expect(line).not.toMatch(/ALERT|w\d/);
    },
  );
});
