/**
 * One measured run of each program against a running emulator child: ours (`report-child`),
 * the naive script, the fixed-concurrency client. Each also returns what the emulator served,
 * so request counts are checked on the server's side, not only the client's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorStats } from '../emulator/stats';
import type { ChildScripts } from './bundle';
import type { EmulatorProcess } from './emulator-process';
import type { FixedResult } from './fixed';
import { type Measured, measureChild } from './measure';
import type { NaiveResult } from './naive';
import type { ReportChildResult } from './report-child';

/** A measured run plus the emulator's view of it. */
export type Run<T> = Measured<T> & { served: EmulatorStats };

/** Our report's result, plus the live heap read from V8's GC trace. */
export type OursResult = ReportChildResult & {
  /** The largest heap right after a full GC (0 when none ran): what the run really holds. */
  maxLiveHeapBytes: number;
};

const WORKSPACE = 'demo';
const apiEnv = (emulator: EmulatorProcess) => ({ DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: 'bench' });

/** Our report (full or summary) into a fresh folder, deleted afterwards. */
export async function runOurs(
  scripts: ChildScripts,
  emulator: EmulatorProcess,
  options: { mode: 'full' | 'summary'; concurrency: number },
): Promise<Run<OursResult>> {
  const out = await mkdtemp(join(scripts.dir, 'out-'));
  try {
    await emulator.takeStats();
    const measured = await measureChild<ReportChildResult>({
      script: scripts.report,
      args: [WORKSPACE, options.mode, String(options.concurrency), out],
      env: apiEnv(emulator),
      // Only prints a line per GC: the one exact way to see the heap right after a full GC.
      nodeFlags: ['--trace-gc'],
    });
    const result = { ...measured.result, maxLiveHeapBytes: liveHeapFromTrace(measured.stdout) };
    return { ...measured, result, served: await emulator.takeStats() };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

/** `Mark-Compact 61.2 (85.8) -> 21.9 (83.3) MB`: the largest heap after a full GC, in bytes. */
function liveHeapFromTrace(trace: string): number {
  let most = 0;
  for (const match of trace.matchAll(/Mark-Compact[^\n]*? -> ([\d.]+) \(/g))
    most = Math.max(most, Number(match[1]));
  return most * 2 ** 20;
}

/** The naive sequential script. */
export async function runNaive(scripts: ChildScripts, emulator: EmulatorProcess): Promise<Run<NaiveResult>> {
  await emulator.takeStats();
  const measured = await measureChild<NaiveResult>({
    script: scripts.naive,
    args: [WORKSPACE],
    env: apiEnv(emulator),
  });
  return { ...measured, served: await emulator.takeStats() };
}

/** The fixed-concurrency client. */
export async function runFixed(
  scripts: ChildScripts,
  emulator: EmulatorProcess,
  concurrency: number,
): Promise<Run<FixedResult>> {
  await emulator.takeStats();
  const measured = await measureChild<FixedResult>({
    script: scripts.fixed,
    args: [WORKSPACE, String(concurrency)],
    env: apiEnv(emulator),
  });
  return { ...measured, served: await emulator.takeStats() };
}
