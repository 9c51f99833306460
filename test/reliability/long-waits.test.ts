/**
 * A retry wait over 5 s (a `Retry-After` of up to a minute) is never silent: on a TTY it is on
 * the progress line, off one it is a line on stderr, e.g. "rate limited (429): waiting 60 s
 * (Retry-After)". Short waits stay quiet. Real HTTP to the emulator, the real CLI in-process.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../emulator/server';
import { progressLine, startProgressOutput } from '../../functions/cli/progress-bar';
import { runCli } from '../../functions/cli/run-cli';
import { newProgress } from '../../lib/report/progress';
import {
  API_KEY,
  clientFor,
  rejectionOf,
  resetFaults,
  startTestEmulator,
  WORKSPACE,
} from '../api/emulator-fixture';

let emulator: RunningEmulator;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'long-waits-'));
  emulator = await startTestEmulator({ sessions: 4, maxFiles: 150 });
});
afterEach(() => resetFaults(emulator));
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** A stream that keeps what is written; a TTY or not. */
function sink(isTTY: boolean) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      stream.text += String(chunk);
      done();
    },
  }) as Writable & { text: string; isTTY: boolean };
  stream.text = '';
  stream.isTTY = isTTY;
  return stream;
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('a long retry wait', () => {
  it('is one line on stderr off a terminal, and the CLI run still completes', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '6', endpoint: 'files' }];
    const stdout = sink(false);
    const stderr = sink(false);
    const env = { DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: API_KEY };
    const code = await runCli(['-w', WORKSPACE, '--out', join(dir, 'run')], env, { stdout, stderr });
    expect(code).toBe(0);
    expect(stderr.text).toBe('rate limited (429): waiting 6 s (Retry-After)\n');
    expect(stdout.text).toMatch(/^complete: demo, 4 sessions, .* 1 retries, .*\n$/);
  }, 20_000);

  it('is on the progress line of a terminal while it lasts, as the client counts it', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '60', endpoint: 'sessions' }];
    const client = clientFor(emulator, { maxRetryAfterMs: 60_000 });
    const controller = new AbortController();
    const request = client.listSessions(WORKSPACE, {}, { signal: controller.signal });
    const terminal = sink(true);
    const output = startProgressOutput(newProgress(), client.stats, terminal);
    try {
      await until(() => client.stats.longWait !== undefined && terminal.text.includes('waiting'));
      expect(progressLine(newProgress(), client.stats, 1_000)).toMatch(
        / · rate limited \(429\): waiting (60|59) s \(Retry-After\)$/,
      );
      expect(terminal.text).toMatch(/rate limited \(429\): waiting (60|59) s \(Retry-After\)/);
    } finally {
      output.stop();
      controller.abort(new Error('test over'));
    }
    await rejectionOf(request);
    // Once the wait is over, the line no longer mentions it.
    const later = client.stats.longWait!.endsAt + 1;
    expect(progressLine(newProgress(), client.stats, 1_000, later)).not.toMatch(/waiting/);
  });

  it('is told once off a terminal when many requests wait together', async () => {
    emulator.faults.script = Array.from({ length: 5 }, () => ({
      kind: 'rate-limit' as const,
      retryAfter: '30',
      endpoint: 'files' as const,
    }));
    const client = clientFor(emulator, { maxRetryAfterMs: 60_000 });
    const controller = new AbortController();
    const requests = Array.from({ length: 5 }, (_, page) =>
      client.listSessionFiles(WORKSPACE, 'any', { page_number: page + 1 }, { signal: controller.signal }),
    );
    const stderr = sink(false);
    const output = startProgressOutput(newProgress(), client.stats, stderr);
    try {
      await until(() => client.stats.retries === 5);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(stderr.text).toBe('rate limited (429): waiting 30 s (Retry-After)\n');
    } finally {
      output.stop();
      controller.abort(new Error('test over'));
    }
    await Promise.allSettled(requests);
  });

  it('is not announced when it is 5 s or less', async () => {
    emulator.faults.script = [{ kind: 'rate-limit', retryAfter: '1', endpoint: 'sessions' }];
    const client = clientFor(emulator);
    const stderr = sink(false);
    const output = startProgressOutput(newProgress(), client.stats, stderr);
    try {
      await client.listSessions(WORKSPACE);
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      output.stop();
    }
    expect(client.stats.retries).toBe(1);
    expect(client.stats.longWait).toBeUndefined();
    expect(stderr.text).toBe('');
  });
});
