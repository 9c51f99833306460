/**
 * Where the conformance tests run: the local emulator always, and the real upload-sessions API
 * when CONFORMANCE_API_URL, CONFORMANCE_API_KEY and CONFORMANCE_WORKSPACE name one, so a drift
 * between the emulator and the vendor shows the day it happens. Only GET requests, and nothing
 * assumes the emulator's seeded data: every expectation is derived from what the target serves.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../../emulator/server';
import { type Answer, get, KEY, NOW } from '../helpers';

/** An API to test: its base URL (up to /api/v1), a key it accepts, and a workspace it holds. */
export interface ApiTarget {
  label: string;
  url: string;
  key: string;
  workspace: string;
}

/** The variables that point the tests at the real API; the URL or the key turns them on. */
export const CONFORMANCE_VARIABLES = ['CONFORMANCE_API_URL', 'CONFORMANCE_API_KEY', 'CONFORMANCE_WORKSPACE'];

/** What the environment says: a real API to test, a skip (and why), or a setup mistake. */
export type RealApiSetting =
  | { run: true; target: ApiTarget }
  | { run: false; reason?: string; error?: string };

/** Reads the CONFORMANCE_* variables. Half a setting is an error, not a silent skip. */
export function realApiSetting(env: NodeJS.ProcessEnv = process.env): RealApiSetting {
  if (!env.CONFORMANCE_API_URL && !env.CONFORMANCE_API_KEY) {
    const names = CONFORMANCE_VARIABLES.join(', ');
    return { run: false, reason: `no real API to test against: set ${names} to run these against it` };
  }
  const missing = CONFORMANCE_VARIABLES.filter((name) => !env[name]);
  if (missing.length > 0) return { run: false, error: `conformance tests: ${missing.join(', ')} not set` };
  const url = env.CONFORMANCE_API_URL!.replace(/\/+$/, '');
  if (!URL.canParse(url)) return { run: false, error: 'conformance tests: CONFORMANCE_API_URL is not a URL' };
  return {
    run: true,
    target: { label: url, url, key: env.CONFORMANCE_API_KEY!, workspace: env.CONFORMANCE_WORKSPACE! },
  };
}

/** The emulator the conformance tests start: enough sessions and files for several pages. */
async function startLocalEmulator(): Promise<RunningEmulator> {
  return startEmulator({ port: 0, seed: 17, sessions: 24, maxFiles: 260, apiKey: KEY, now: NOW });
}

/**
 * Defines `define`'s tests for every target: `<topic> on the emulator`, and `<topic> on <url>`
 * when the real API is configured (otherwise one test that skips and says why, or fails naming
 * the missing variables).
 */
export function describeConformance(topic: string, define: (target: () => ApiTarget) => void): void {
  describe(`${topic} on the emulator`, () => {
    let emulator: RunningEmulator | undefined;
    let target: ApiTarget;
    beforeAll(async () => {
      emulator = await startLocalEmulator();
      target = { label: 'the emulator', url: emulator.url, key: KEY, workspace: 'demo' };
    });
    afterAll(() => emulator?.close());
    define(() => target);
  });

  const setting = realApiSetting();
  if (setting.run) {
    describe(`${topic} on ${setting.target.label}`, () => define(() => setting.target));
    return;
  }
  describe(`${topic} on the real API`, () => {
    it('runs there too', (context) => {
      if (setting.error) throw new Error(setting.error);
      context.skip(setting.reason);
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * GET `path` on the target with its key (or `headers` instead). A 429 is waited out (up to 5
 * times, as Retry-After says): a real API's rate limit is no conformance failure.
 */
export async function fetchFrom(
  target: ApiTarget,
  path: string,
  query: Record<string, string | number | boolean> = {},
  headers: Record<string, string> = { authorization: `Bearer ${target.key}` },
): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const answer = await get(target, path, query, headers);
    if (answer.status !== 429 || attempt > 5) return answer;
    await sleep(Math.min(30, Number(answer.headers.get('retry-after')) || 2) * 1000);
  }
}

export const sessionsPathOf = (target: ApiTarget) => `/workspaces/${target.workspace}/upload_sessions`;
export const filesPathOf = (target: ApiTarget, sessionId: string) =>
  `${sessionsPathOf(target)}/${sessionId}/files`;
