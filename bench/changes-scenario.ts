/**
 * The changes step inside real runs: the report (report-child, what `npm run report` does)
 * writes a baseline run of the emulator's workspace, the emulator moves its data one night
 * forward, then the report runs again, alternately without the comparison and with it against
 * the baseline (changes.csv), a few rounds each. The extra time and memory of the comparison are
 * the difference. The merge alone over the two written folders, and reading the current rows
 * back alone (what the run re-reads for the merge), are measured in their own processes too.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { NightChanges } from '../emulator/advance-night';
import type { ChildScripts } from './bundle';
import type { ChangesChildResult } from './changes-child';
import { type EmulatorProcess, startEmulatorProcess } from './emulator-process';
import { type Measured, measureChild } from './measure';
import type { ReportChildResult } from './report-child';
import type { WorkspaceSize } from './scenarios';

const CONCURRENCY = 16;

export interface ChangesResult {
  size: WorkspaceSize;
  /** The emulator's latency per request: 0 makes the run CPU-bound, the worst case for the merge. */
  latencyMs: number;
  baselineFiles: number;
  night: NightChanges;
  /** Runs of the same data without the comparison and with it, alternately. */
  without: Measured<ReportChildResult>[];
  with: Measured<ReportChildResult>[];
  merge: Measured<ChangesChildResult>;
  parse: Measured<ChangesChildResult>;
}

export async function changesScenario(
  scripts: ChildScripts,
  size: WorkspaceSize,
  options: { rounds?: number; latencyMs?: number } = {},
): Promise<ChangesResult> {
  const { rounds = 2, latencyMs = 0 } = options;
  const dir = await mkdtemp(join(scripts.dir, 'changes-'));
  const emulator = await startEmulatorProcess(scripts.emulator, { ...size, latencyMs });
  try {
    const baseline = join(dir, 'baseline');
    const first = await report(scripts, emulator, baseline, 'none');
    const night = await emulator.advanceNight(1);
    const runs: Pick<ChangesResult, 'without' | 'with'> = { without: [], with: [] };
    for (let round = 0; round < rounds; round++) {
      runs.without.push(await report(scripts, emulator, join(dir, `off-${round}`), 'none'));
      runs.with.push(await report(scripts, emulator, join(dir, `on-${round}`), baseline));
    }
    checkCounts(night, runs.with);
    const current = join(dir, 'on-0');
    const merge = await measureChild<ChangesChildResult>({
      script: scripts.changes,
      args: ['merge', baseline, current, await mkdtemp(join(dir, 'merge-'))],
    });
    const parse = await measureChild<ChangesChildResult>({
      script: scripts.changes,
      args: ['parse', current],
    });
    return { size, latencyMs, baselineFiles: first.result.files, night, ...runs, merge, parse };
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One report run into `out`, compared with the run folder `previous` (or `none`). */
function report(scripts: ChildScripts, emulator: EmulatorProcess, out: string, previous: string) {
  return measureChild<ReportChildResult>({
    script: scripts.report,
    args: ['demo', 'full', String(CONCURRENCY), out],
    env: { DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: 'bench', BENCH_PREVIOUS: previous },
  });
}

/** The comparison must have found what the night did, or its time means nothing. */
function checkCounts(night: NightChanges, runs: ChangesResult['with']): void {
  const expected = {
    added: night.added + night.newSession.files,
    removed: night.removed + (night.removedSession?.files ?? 0),
    status_changed: night.finished + night.failed,
  };
  for (const run of runs) {
    const changes = run.result.changes;
    const found = changes && !('unavailable' in changes) ? changes : undefined;
    const got = found && { added: found.added, removed: found.removed, status_changed: found.status_changed };
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      throw new Error(
        `changes ${JSON.stringify(got ?? changes)}, the night made ${JSON.stringify(expected)}`,
      );
    }
  }
}
