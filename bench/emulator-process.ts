/**
 * The parent's handle on `emulator-child`: start it, change its faults, read its counters,
 * close it. One request/answer at a time, matched by order.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { NightChanges } from '../emulator/advance-night';
import type { EmulatorStats } from '../emulator/stats';
import type { EmulatorCommand } from './emulator-child';

/** Files of one served session: all of them, the FAILED and the PENDING ones. */
export interface SessionSize {
  files: number;
  failed: number;
  pending: number;
}

/** A running emulator child. */
export interface EmulatorProcess {
  url: string;
  sessions: SessionSize[];
  setFaults(faults: { latencyMs?: number; maxRequestsPerSecond?: number }): Promise<void>;
  /** Requests served since the previous call (the counters are then reset). */
  takeStats(): Promise<EmulatorStats>;
  /** Moves the served data one night forward; says what the night changed. */
  advanceNight(seed: number): Promise<NightChanges>;
  close(): Promise<void>;
}

/** What the emulator generates and serves. */
export interface EmulatorSpec {
  sessions: number;
  maxFiles: number;
  seed?: number;
  latencyMs?: number;
}

/** Starts `emulator-child` (a bundled script) with `node`, and waits until it listens. */
export async function startEmulatorProcess(script: string, spec: EmulatorSpec): Promise<EmulatorProcess> {
  const options = {
    sessions: spec.sessions,
    maxFiles: spec.maxFiles,
    seed: spec.seed ?? 1,
    faults: { latencyMs: spec.latencyMs ?? 0 },
  };
  const child = spawn(process.execPath, [script, JSON.stringify(options)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => {
    const line = await lines.next();
    if (line.done) throw new Error('the emulator child exited unexpectedly');
    return JSON.parse(line.value) as T;
  };
  const send = <T>(command: EmulatorCommand) => {
    child.stdin.write(`${JSON.stringify(command)}\n`);
    return next<T>();
  };
  const hello = await next<{ url: string; sessions: SessionSize[] }>();
  return {
    ...hello,
    setFaults: async (faults) => {
      await send({ faults });
    },
    takeStats: () => send<EmulatorStats>({ stats: true }),
    advanceNight: (seed) => send<NightChanges>({ night: { seed } }),
    close: () => closeChild(child),
  };
}

function closeChild(child: ChildProcessByStdio<Writable, Readable, null>): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.stdin.end();
  });
}
