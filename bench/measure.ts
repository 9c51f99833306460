/**
 * Runs one measured child process: wall time from spawn to exit (so process start-up is
 * included), and the JSON line the child prints last (its own counters, duration and peak RSS).
 * The spawning and timing itself is shared with the `npm run report` measurement.
 */
import { spawn } from 'node:child_process';

/** A finished child run. */
export interface Measured<T> {
  /** From spawn to exit, including process start-up. */
  wallMs: number;
  result: T;
  /** Everything the child printed on stdout (e.g. V8's --trace-gc lines before the JSON). */
  stdout: string;
}

export interface ChildRun {
  script: string;
  args: string[];
  env?: Record<string, string>;
  /** Node flags for the child, e.g. `--max-semi-space-size=...`. */
  nodeFlags?: string[];
}

/** Runs the child; rejects with its stderr when it exits non-zero or prints no JSON. */
export async function measureChild<T>(run: ChildRun): Promise<Measured<T>> {
  const command = [process.execPath, ...(run.nodeFlags ?? []), run.script, ...run.args];
  const { wallMs, code, stdout, stderr } = await timedSpawn(command, { env: run.env });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{')) {
    throw new Error(`${run.script} exited with ${code}: ${stderr.trim() || stdout.trim()}`);
  }
  return { wallMs, result: JSON.parse(last) as T, stdout };
}

/** What a spawned command did: wall time from spawn to exit, its exit code and its output. */
export interface TimedSpawn {
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns `command` with `env` added to this process's, collects its output, and times it. */
export function timedSpawn(
  command: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<TimedSpawn> {
  const started = performance.now();
  const child = spawn(command[0]!, command.slice(1), {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ wallMs: performance.now() - started, code, stdout, stderr }));
  });
}
