/**
 * Sections 3 to 5 of the results: memory as files grow, adaptive concurrency, and wall time
 * against workspace size (also the chart's points).
 */
import type { SessionSize } from './emulator-process';
import type { ReportChildResult } from './report-child';
import { boundMs, datasetTotals, minimumRequests } from './requests';
import { type BenchResults, countsExact } from './results';
import type { Run } from './runs';
import { CONCURRENCY, LATENCY_MS, type ReferenceResult, type ScalingResult } from './scenarios';
import { int, markdownTable, mib, perSecond, ratio, seconds } from './table';

/** Sections 3, 4 and 5. */
export function scalingSections(results: BenchResults): string[] {
  return [memorySection(results.scaling), adaptiveSection(results.reference), scalingSection(results)];
}

function memorySection(scaling: ScalingResult[]): string {
  const rows = scaling.flatMap(({ sessions, atZero }) => {
    if (!atZero) return [];
    const files = datasetTotals(sessions).files;
    return [
      [
        int(files),
        int(sessions.length),
        int(atZero.served.requests),
        int(minimumRequests(sessions)),
        seconds(atZero.result.durationMs),
        perSecond(files, atZero.result.durationMs),
        mib(atZero.result.maxRssBytes),
        mib(atZero.result.maxHeapUsedBytes),
        atZero.result.maxLiveHeapBytes ? mib(atZero.result.maxLiveHeapBytes) : '-',
        seconds(atZero.result.cpuMs),
      ],
    ];
  });
  return [
    '## 3. Memory as files grow (mode full, latency 0, concurrency 16)',
    '',
    markdownTable(
      [
        'files',
        'sessions',
        'requests',
        'min R',
        'report',
        'rows/s',
        'peak RSS',
        'peak heap',
        'live heap',
        'CPU',
      ],
      rows,
    ),
    '',
    "Sessions of up to 5,000 files. `peak RSS`: the process's maximum resident set (start-up included), read " +
      'at the end of the run (`/usr/bin/time -v` agrees within a few MiB; it also counts the teardown after exit). ' +
      '`peak heap`: heap used, sampled every 50 ms; `live heap`: the most heap in use right after a full GC, i.e. ' +
      "what the run holds. The live heap stays flat; the peak grows with the run's length until V8's heap " +
      'sizing settles (old generation up to a few times the live heap, plus the young generation). ' +
      'At latency 0 the emulator, on the same 2 cores, sets the pace.',
    ...npmMemoryLines(scaling),
  ].join('\n');
}

/** The same runs through `npm run report`, where the bench made one. */
function npmMemoryLines(scaling: ScalingResult[]): string[] {
  return scaling.flatMap(({ sessions, npmAtZero }) => {
    if (!npmAtZero) return [];
    const rss = npmAtZero.result.maxRssBytes;
    return [
      '',
      `Through \`npm run report\` (what users run) at ${int(datasetTotals(sessions).files)} files: peak RSS ` +
        `${Number.isFinite(rss) ? mib(rss) : '- (no /usr/bin/time)'}, report ${seconds(npmAtZero.result.durationMs)}, ` +
        `wall ${seconds(npmAtZero.wallMs)}, ${int(npmAtZero.served.requests)} requests served.`,
    ];
  });
}

function adaptiveSection(ref: ReferenceResult): string {
  const { maxRps, concurrency, ours, fixed } = ref.adaptive;
  const total = datasetTotals(ref.sessions).files;
  return [
    `## 4. Adaptive concurrency: emulator capped at ${maxRps} requests/s (429 + Retry-After: 1 beyond), latency ${LATENCY_MS} ms`,
    '',
    markdownTable(
      [
        'client',
        'max concurrency',
        'requests',
        '429s',
        'retries',
        'max in flight',
        'min limit',
        'final limit',
        'wall',
        'complete, counts exact',
      ],
      [
        [
          'ours (AIMD)',
          int(concurrency),
          int(ours.served.requests),
          int(ours.result.throttled),
          int(ours.result.retries),
          int(ours.result.maxInFlight),
          int(ours.result.minLimit),
          int(ours.result.finalLimit),
          seconds(ours.wallMs),
          ours.result.complete && countsExact(ours.result, ref.sessions) ? 'yes' : 'NO',
        ],
        [
          'fixed concurrency (bench/fixed.ts)',
          int(concurrency),
          int(fixed.served.requests),
          int(fixed.result.throttled),
          int(fixed.result.throttled),
          int(concurrency),
          int(concurrency),
          int(concurrency),
          seconds(fixed.wallMs),
          fixed.result.files === total ? 'files: yes' : 'files: NO',
        ],
      ],
    ),
    '',
    'The fixed client sends the same pages with the same concurrency and waits only as long as Retry-After says; ' +
      'it writes no CSVs.',
  ].join('\n');
}

/** A point of the wall-time chart. */
export interface ChartPoint {
  files: number;
  requests: number;
  boundMs: number;
  oursMs: number;
  naiveMs: number;
  naiveExtrapolated: boolean;
}

/** Wall time against workspace size: the reference run and every scaling run made at 40 ms. */
export function chartPoints(results: BenchResults): ChartPoint[] {
  const ref = results.reference;
  const point = (sessions: SessionSize[], ours: Run<ReportChildResult>, naiveMs: number | undefined) => {
    const R = minimumRequests(sessions);
    return {
      files: datasetTotals(sessions).files,
      requests: R,
      boundMs: boundMs(R, LATENCY_MS, CONCURRENCY),
      oursMs: ours.wallMs,
      naiveMs: naiveMs ?? R * results.naiveMsPerRequest,
      naiveExtrapolated: naiveMs === undefined,
    };
  };
  const points = [point(ref.sessions, ref.full, ref.naive.wallMs)];
  for (const run of results.scaling) {
    if (run.atLatency) points.push(point(run.sessions, run.atLatency, run.naive?.wallMs));
  }
  return points.sort((a, b) => a.files - b.files);
}

function scalingSection(results: BenchResults): string {
  const rows = chartPoints(results).map((p) => [
    int(p.files),
    int(p.requests),
    seconds(p.boundMs),
    seconds(p.oursMs),
    `${seconds(p.naiveMs)}${p.naiveExtrapolated ? ' (extrapolated)' : ''}`,
    ratio(p.naiveMs / p.oursMs),
  ]);
  return [
    `## 5. Wall time against workspace size (latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}; chart: wall-time.svg)`,
    '',
    markdownTable(['files', 'min R', 'bound', 'ours (wall)', 'naive (wall)', 'naive/ours'], rows),
    '',
    `Naive times not measured are extrapolated: R × ${results.naiveMsPerRequest.toFixed(1)} ms, ` +
      'its measured time per request in the reference run.',
  ].join('\n');
}
