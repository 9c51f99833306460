/**
 * Runs one measured child process: wall time from spawn to exit (so process start-up is
 * included), and the JSON line the child prints last (its own counters, duration and peak RSS).
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
export function measureChild<T>(run: ChildRun): Promise<Measured<T>> {
  const started = performance.now();
  const child = spawn(process.execPath, [...(run.nodeFlags ?? []), run.script, ...run.args], {
    env: { ...process.env, ...run.env },
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
    child.once('close', (code) => {
      const wallMs = performance.now() - started;
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) {
        reject(new Error(`${run.script} exited with ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      resolve({ wallMs, result: JSON.parse(last) as T, stdout });
    });
  });
}
