/** The changes step's section of the results: its extra time and memory inside a real run. */
import type { ChangesResult } from './changes-scenario';
import { int, markdownTable, mib, seconds } from './table';

/** The goals: memory within the flat-memory target, extra time at most 15 % of the run. */
export const CHANGES_RSS_GOAL_BYTES = 200 * 2 ** 20;
export const CHANGES_TIME_GOAL = 0.15;

export interface ChangesFigures {
  baseMs: number;
  withMs: number;
  extraMs: number;
  extraShare: number;
  baseRss: number;
  withRss: number;
}

/** The fastest run of each kind (the least disturbed), and the highest peak RSS of each. */
export function changesFigures(result: ChangesResult): ChangesFigures {
  const fastest = (runs: ChangesResult['with']) => Math.min(...runs.map((run) => run.result.durationMs));
  const highest = (runs: ChangesResult['with']) => Math.max(...runs.map((run) => run.result.maxRssBytes));
  const baseMs = fastest(result.without);
  const withMs = fastest(result.with);
  return {
    baseMs,
    withMs,
    extraMs: withMs - baseMs,
    extraShare: (withMs - baseMs) / baseMs,
    baseRss: highest(result.without),
    withRss: highest(result.with),
  };
}

/** The section of `npm run bench`: one table per latency. */
export function changesSections(results: readonly ChangesResult[]): string {
  return [
    '## What changed since the previous run (changes.csv)',
    'The extra cost of comparing a run with the previous one as it goes: its time (goal: at most ' +
      "15 % of the run) and the run's peak RSS with it (goal: the flat-memory target, 200 MiB).",
    ...results.map(changesSection),
  ].join('\n\n');
}

export function changesSection(result: ChangesResult): string {
  const f = changesFigures(result);
  const current = result.with[0]!.result;
  const changes = current.changes && !('unavailable' in current.changes) ? current.changes : undefined;
  const row = (name: string, runs: ChangesResult['with']) => [
    name,
    runs.map((run) => seconds(run.result.durationMs)).join(', '),
    runs.map((run) => mib(run.result.maxRssBytes)).join(', '),
    runs.map((run) => mib(run.result.maxHeapUsedBytes)).join(', '),
    runs.map((run) => seconds(run.result.cpuMs)).join(', '),
  ];
  const alone = (name: string, m: ChangesResult['merge']) => [
    name,
    seconds(m.result.durationMs),
    mib(m.result.maxRssBytes),
    mib(m.result.maxHeapUsedBytes),
    seconds(m.result.cpuMs),
  ];
  const pct = (share: number) => `${(share * 100).toFixed(1)} %`;
  return [
    `### At ${result.latencyMs} ms per request`,
    '',
    `A run of ${int(current.files)} files (${result.size.sessions} sessions of up to ${int(result.size.maxFiles)} files, ` +
      `mode full, latency ${result.latencyMs} ms, concurrency 16) compared with a baseline run of ${int(result.baselineFiles)} files written ` +
      `before the emulator moved its data one night forward: ${int(changes?.added ?? 0)} added, ${int(changes?.removed ?? 0)} ` +
      `removed, ${int(changes?.status_changed ?? 0)} status changes, as the night made them. Runs alternate, each its own ` +
      'process; the fastest of each kind and the highest peak RSS are compared.',
    '',
    markdownTable(
      ['run', 'report', 'peak RSS', 'peak heap', 'CPU'],
      [
        row('without the comparison', result.without),
        row('with changes.csv', result.with),
        alone('the merge alone (two written folders)', result.merge),
        alone('reading the current rows back alone', result.parse),
      ],
    ),
    '',
    `- ${f.extraShare <= CHANGES_TIME_GOAL ? '✅' : '❌'} Extra time of the comparison: ${seconds(f.extraMs)}, ` +
      `${pct(f.extraShare)} of the run (${seconds(f.baseMs)} → ${seconds(f.withMs)}); goal ≤ ${pct(CHANGES_TIME_GOAL)}.`,
    `- ${f.withRss <= CHANGES_RSS_GOAL_BYTES ? '✅' : '❌'} Peak RSS with the comparison: ${mib(f.withRss)} ` +
      `(${(f.withRss / f.baseRss).toFixed(2)}× the ${mib(f.baseRss)} without it); goal ≤ ${mib(CHANGES_RSS_GOAL_BYTES)}.`,
  ].join('\n');
}
