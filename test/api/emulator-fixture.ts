/**
 * Shared set-up for the client tests: a real emulator over HTTP on 127.0.0.1 (port 0) and a
 * client with small delays, so retry paths run in milliseconds.
 */

import type { EmulatorSession } from '../../emulator/dataset';
import { createFaults } from '../../emulator/faults';
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '../../emulator/server';
import type { ClientOptions } from '../../lib/api';
import { UploadSessionsClient } from '../../lib/api';

/** Distinctive, so a leak anywhere is found by a plain substring search. */
export const API_KEY = 'sk-test-9f2c4e7a1b3d5f60-secret';
export const WORKSPACE = 'demo';

/** 30 sessions, the largest with 1200 files (seed 7: about 14 000 files in all). */
export function startTestEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, seed: 7, sessions: 30, maxFiles: 1200, apiKey: API_KEY, ...options });
}

/** A client of `emulator` with test-sized delays; `options` override. */
export function clientFor(
  emulator: RunningEmulator,
  options: Partial<ClientOptions> = {},
): UploadSessionsClient {
  return new UploadSessionsClient({
    baseUrl: emulator.url,
    apiKey: API_KEY,
    baseDelayMs: 5,
    maxDelayMs: 20,
    timeoutMs: 5_000,
    ...options,
  });
}

/** Puts every fault knob back to "nothing injected". */
export function resetFaults(emulator: RunningEmulator): void {
  Object.assign(emulator.faults, createFaults(), { dropField: undefined, onRequest: undefined });
}

/** The emulator's sessions of the demo workspace. */
export function demoSessions(emulator: RunningEmulator): EmulatorSession[] {
  const sessions = emulator.dataset.workspaces.get(WORKSPACE);
  if (!sessions) throw new Error('the emulator has no demo workspace');
  return sessions;
}

/** The session with the most files. */
export function largestSession(emulator: RunningEmulator): EmulatorSession {
  return demoSessions(emulator).reduce((a, b) => (b.files.length > a.files.length ? b : a));
}

/** Every item of an async iterable. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The rejection of `promise` (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected a rejection, but the promise resolved');
}
