/** Sections 1 and 2 of the results: side by side on the reference data, and summary mode's requests. */

import type { ReportChildResult } from './report-child';
import { boundMs, datasetTotals, minimumRequests, summaryAllowance } from './requests';
import { type BenchResults, countsExact, startUp } from './results';
import type { Run } from './runs';
import { CONCURRENCY, LATENCY_MS, type ReferenceResult } from './scenarios';
import { int, markdownTable, mib, perSecond, ratio, seconds } from './table';

/** Sections 1 and 2. */
export function referenceSections({ reference }: BenchResults): string[] {
  return [referenceSection(reference), summarySection(reference)];
}

function referenceSection(ref: ReferenceResult): string {
  const files = datasetTotals(ref.sessions).files;
  const R = minimumRequests(ref.sessions);
  const allowance = summaryAllowance(ref.sessions);
  const bound = boundMs(R, LATENCY_MS, CONCURRENCY);
  const row = (
    name: string,
    run: Run<{ durationMs: number; maxRssBytes: number; requests: number; avgInFlight?: number }>,
    min: number,
  ) => [
    name,
    int(run.result.requests),
    int(run.served.requests),
    int(min),
    run.result.avgInFlight === undefined ? '' : run.result.avgInFlight.toFixed(1),
    seconds(run.wallMs),
    seconds(run.result.durationMs),
    seconds(startUp(run)),
    seconds(boundMs(min, LATENCY_MS, CONCURRENCY)),
    ratio(run.result.durationMs / boundMs(min, LATENCY_MS, CONCURRENCY)),
    ratio(ref.naive.wallMs / run.wallMs),
    Number.isFinite(run.result.maxRssBytes) ? mib(run.result.maxRssBytes) : '-',
    perSecond(files, run.result.durationMs),
  ];
  return [
    `## 1. Side by side: ${int(ref.sessions.length)} sessions, ${int(files)} files, ` +
      `latency ${LATENCY_MS} ms, concurrency ${CONCURRENCY}`,
    '',
    `Minimum requests R = ceil(S/100) + Σ max(1, ceil(F_i/100)) = ${int(R)} (summary allowance ${int(allowance)}); ` +
      `bound = max(R·${LATENCY_MS} ms/${CONCURRENCY}, 3·${LATENCY_MS} ms) = ${seconds(bound)}.`,
    '',
    markdownTable(
      [
        'program',
        'requests',
        'served',
        'min R',
        'avg in flight',
        'wall',
        'report',
        'start-up',
        'bound',
        'report/bound',
        'naive/this',
        'peak RSS',
        'rows/s',
      ],
      [
        row('**npm run report**, mode full (what users run)', ref.npm, R),
        row('naive sequential script', ref.naive, R),
        row('floor: fetch + parse only (bench/fixed.ts)', ref.floor, R),
        row('ours in one node process (report-child), mode full', ref.full, R),
        row('ours in one node process (report-child), mode summary', ref.summary, allowance),
      ],
    ),
    '',
    `The floor fetches the same pages with ${CONCURRENCY} in flight and only parses them: the time this machine and ` +
      `emulator need to serve them at all. Ours is ${ratio(ref.full.result.durationMs / ref.floor.result.durationMs)} the floor ` +
      `(\`npm run report\`: ${ratio(ref.npm.result.durationMs / ref.floor.result.durationMs)}). \`npm run report\` used ` +
      `${seconds(ref.npm.result.cpuMs)} of CPU in all (npm included), report-child ${seconds(ref.full.result.cpuMs)}.`,
    '',
    '`requests`: sent by the program; `served`: counted by the emulator; `avg in flight`: sampled every 5 ms. ' +
      '`wall`: spawn to exit; ' +
      '`report`: the run itself; `start-up` = wall − report (process start, module loading, exit). ' +
      '`rows/s`: files of the workspace per second of `report`.',
    '',
    'The first row is the command itself: `npm run report -- --workspace demo --mode full --concurrency 16 ' +
      '--out DIR --quiet`, timed from spawn to exit (npm, the launcher checking that dist/ is fresh, the CLI ' +
      'bundle); its `report` time, requests and counts come from its summary.json, its peak RSS from GNU time ' +
      "(the command's largest process). The other programs run as single node processes, bundled with esbuild. " +
      'report-child (bench/report-child.ts) does what the CLI does with the same modules, plus the counters the ' +
      'CLI does not print (requests in flight, heap).',
  ].join('\n');
}

function summarySection(ref: ReferenceResult): string {
  const small = ref.sessions.filter((s) => s.files <= 100).length;
  const medium = ref.sessions.filter((s) => s.files > 100 && s.files <= 200).length;
  const noFailed = ref.sessions.filter((s) => s.files > 200 && s.failed === 0).length;
  const totals = datasetTotals(ref.sessions);
  const exact = (run: Run<ReportChildResult>) => (countsExact(run.result, ref.sessions) ? 'yes' : 'NO');
  return [
    '## 2. Summary mode: requests vs allowance',
    '',
    markdownTable(
      [
        '',
        '<= 100 files',
        '101-200',
        '> 200',
        '> 200, none FAILED',
        'FAILED files',
        'allowance',
        'requests',
        'counts exact',
      ],
      [
        [
          'mode summary',
          int(small),
          int(medium),
          int(ref.sessions.length - small - medium),
          int(noFailed),
          int(totals.failed),
          int(summaryAllowance(ref.sessions)),
          int(ref.summary.served.requests),
          exact(ref.summary),
        ],
        [
          'mode full',
          '',
          '',
          '',
          '',
          '',
          int(minimumRequests(ref.sessions)),
          int(ref.full.served.requests),
          exact(ref.full),
        ],
      ],
    ),
    '',
    'Allowance (the issue): the session listing, then per session 1 request when F_i <= 100, else 2 + ceil(failed_i/100). ' +
      'Ours: 1 request up to 100 files, 2 up to 200 (the second page lists them all), else the first page, ' +
      'the PENDING count and the FAILED listing, which costs one request even when it is empty: a session of more ' +
      'than 200 files without a FAILED file costs 3, one over its allowance. "Counts exact": total, PENDING, ' +
      "FAILED and FINISHED equal the emulator's dataset.",
  ].join('\n');
}
