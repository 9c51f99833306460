/**
 * The benchmark's scenarios, each on its own emulator child:
 * - reference: the naive script vs our report (full, summary) at 40 ms, concurrency 16, then
 *   adaptive concurrency against a requests-per-second cap on the same data;
 * - scaling: our report over growing workspaces, at 40 ms (wall time; naive measured or
 *   extrapolated) and at 0 ms (peak memory and rows per second).
 */
import { generateDataset } from '../emulator/dataset';
import type { ChildScripts } from './bundle';
import { type EmulatorProcess, type SessionSize, startEmulatorProcess } from './emulator-process';
import type { FixedResult } from './fixed';
import type { NaiveResult } from './naive';
import { type NpmReportResult, runNpmReport } from './npm-report';
import { type OursResult, type Run, runFixed, runNaive, runOurs } from './runs';

export const LATENCY_MS = 40;
export const CONCURRENCY = 16;

/** A generated workspace: `sessions` sessions, the largest with `maxFiles` files. */
export interface WorkspaceSize {
  sessions: number;
  maxFiles: number;
}

export interface ReferenceResult {
  size: WorkspaceSize;
  sessions: SessionSize[];
  naive: Run<NaiveResult>;
  /** bench/fixed.ts at the same concurrency: fetch and parse only, what the machine allows. */
  floor: Run<FixedResult>;
  /** The headline: `npm run report`, mode full, as users run it. */
  npm: Run<NpmReportResult>;
  full: Run<OursResult>;
  summary: Run<OursResult>;
  adaptive: { maxRps: number; concurrency: number; ours: Run<OursResult>; fixed: Run<FixedResult> };
}

/** Side by side on the same data; then the same data behind a requests-per-second cap. */
export async function referenceScenario(
  scripts: ChildScripts,
  size: WorkspaceSize,
  adaptive: { maxRps: number; concurrency: number },
): Promise<ReferenceResult> {
  const emulator = await startEmulatorProcess(scripts.emulator, { ...size, latencyMs: LATENCY_MS });
  try {
    assertSameDataset(size, emulator);
    const naive = await runNaive(scripts, emulator);
    const floor = await runFixed(scripts, emulator, CONCURRENCY);
    const npm = await runNpmReport(scripts.dir, emulator, { mode: 'full', concurrency: CONCURRENCY });
    const full = await runOurs(scripts, emulator, { mode: 'full', concurrency: CONCURRENCY });
    const summary = await runOurs(scripts, emulator, { mode: 'summary', concurrency: CONCURRENCY });
    await emulator.setFaults({ latencyMs: LATENCY_MS, maxRequestsPerSecond: adaptive.maxRps });
    const ours = await runOurs(scripts, emulator, { mode: 'full', concurrency: adaptive.concurrency });
    // The token bucket refills in a second; start the other client with the same full bucket.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const fixed = await runFixed(scripts, emulator, adaptive.concurrency);
    return {
      size,
      sessions: emulator.sessions,
      naive,
      floor,
      npm,
      full,
      summary,
      adaptive: { ...adaptive, ours, fixed },
    };
  } finally {
    await emulator.close();
  }
}

/** One workspace size of the scaling runs. */
export interface ScalingResult {
  size: WorkspaceSize;
  sessions: SessionSize[];
  /** At 40 ms latency (wall time), when asked for. */
  atLatency?: Run<OursResult>;
  naive?: Run<NaiveResult>;
  /** At 0 ms latency (memory, rows per second), when asked for. */
  atZero?: Run<OursResult>;
  /** `npm run report` at 0 ms latency (peak RSS through the command users run), when asked for. */
  npmAtZero?: Run<NpmReportResult>;
}

export interface ScalingPlan extends WorkspaceSize {
  atLatency: boolean;
  naive: boolean;
  atZero: boolean;
  npmAtZero?: boolean;
}

export async function scalingScenario(scripts: ChildScripts, plan: ScalingPlan): Promise<ScalingResult> {
  const size = { sessions: plan.sessions, maxFiles: plan.maxFiles };
  const emulator = await startEmulatorProcess(scripts.emulator, { ...size, latencyMs: LATENCY_MS });
  try {
    const result: ScalingResult = { size, sessions: emulator.sessions };
    const full = { mode: 'full', concurrency: CONCURRENCY } as const;
    if (plan.naive) result.naive = await runNaive(scripts, emulator);
    if (plan.atLatency) result.atLatency = await runOurs(scripts, emulator, full);
    if (plan.atZero) {
      await emulator.setFaults({ latencyMs: 0 });
      result.atZero = await runOurs(scripts, emulator, full);
    }
    if (plan.npmAtZero) {
      await emulator.setFaults({ latencyMs: 0 });
      result.npmAtZero = await runNpmReport(scripts.dir, emulator, full);
    }
    return result;
  } finally {
    await emulator.close();
  }
}

/**
 * The emulator child's dataset must be the one `generateDataset` makes from the same options
 * in this process: the minimum request count is computed from these sizes.
 */
function assertSameDataset(size: WorkspaceSize, emulator: EmulatorProcess): void {
  const local = generateDataset({ seed: 1, ...size }).workspaces.get('demo') ?? [];
  const same =
    local.length === emulator.sessions.length &&
    local.every((session, i) => session.files.length === emulator.sessions[i]?.files);
  if (!same) throw new Error('the emulator child serves a different dataset than generateDataset makes');
}
