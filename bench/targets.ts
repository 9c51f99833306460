/** The results' last section: each target of the issue, and whether this run meets it. */

import { BUNDLE_GOAL_BYTES, HTTP_INIT_GOAL_MS } from './lambda-section';
import { boundMs, datasetTotals, minimumRequests, summaryAllowance } from './requests';
import { type BenchResults, countsExact } from './results';
import { CONCURRENCY, LATENCY_MS, type ScalingResult } from './scenarios';
import { int, mib, ratio, seconds } from './table';

type Check = (ok: boolean, text: string) => string;

/** One line per target, ✅ or ❌, with the numbers behind it. */
export function targetsSection(results: BenchResults): string {
  const ref = results.reference;
  const R = minimumRequests(ref.sessions);
  const bound = boundMs(R, LATENCY_MS, CONCURRENCY);
  const memory = results.scaling.filter((s) => s.atZero);
  const near250k = results.scaling.find(
    (s) => s.npmAtZero && Math.abs(datasetTotals(s.sessions).files - 250_000) < 25_000,
  );
  const npm = ref.npm;
  const { ours, concurrency } = ref.adaptive;
  const check: Check = (ok, text) => `- ${ok ? '✅' : '❌'} ${text}`;
  return [
    '## Targets',
    '',
    ...(results.quick
      ? [
          "(--quick: the reference workspace is smaller than the issue's, so start-up dominates the time " +
            'targets, and there is no 1M run for flat memory; run `npm run bench` for the real check.)',
          '',
        ]
      : []),
    check(
      ref.full.served.requests === R,
      `Full mode sends exactly R requests: ${int(ref.full.served.requests)} served, R = ${int(R)}.`,
    ),
    check(
      npm.result.durationMs <= 1.5 * bound,
      `\`npm run report\` within 1.5× of the bound plus start-up: its report ${seconds(npm.result.durationMs)} = ` +
        `${ratio(npm.result.durationMs / bound)} the bound ${seconds(bound)}; start-up and exit ` +
        `${seconds(npm.wallMs - npm.result.durationMs)} (spawn to exit ${seconds(npm.wallMs)} = ${ratio(npm.wallMs / bound)}); ` +
        `the floor (fetch + parse only) ${ratio(ref.floor.result.durationMs / bound)} the bound.`,
    ),
    check(
      npm.wallMs <= 0.1 * ref.naive.wallMs,
      `\`npm run report\` at most 0.10× the naive script: ${ratio(npm.wallMs / ref.naive.wallMs)} ` +
        `(${seconds(npm.wallMs)} against ${seconds(ref.naive.wallMs)}, both spawn to exit, in the same run).`,
    ),
    summaryCheck(ref, check),
    near250k?.npmAtZero
      ? check(
          near250k.npmAtZero.result.maxRssBytes <= 200 * 2 ** 20,
          `Peak RSS of \`npm run report\` at ${int(datasetTotals(near250k.sessions).files)} files <= 200 MiB: ` +
            `${mib(near250k.npmAtZero.result.maxRssBytes)} (report-child: ${near250k.atZero ? mib(near250k.atZero.result.maxRssBytes) : '-'}).`,
        )
      : '- (no `npm run report` run near 250k files)',
    flatMemoryCheck(memory, check),
    check(
      ours.result.throttled > 0 &&
        ours.result.minLimit < concurrency &&
        ours.result.maxInFlight <= concurrency &&
        ours.result.complete &&
        countsExact(ours.result, ref.sessions),
      `Adaptive concurrency: ${int(ours.result.throttled)} 429s lowered the limit to ${ours.result.minLimit} ` +
        `(never above ${concurrency}: max in flight ${ours.result.maxInFlight}); complete with exact counts.`,
    ),
    ...lambdaChecks(results, check),
  ].join('\n');
}

/** The HTTP function's init time, and every bundle's size. */
function lambdaChecks({ lambdas }: BenchResults, check: Check): string[] {
  const http = lambdas.find((l) => l.name === 'http');
  const biggest = [...lambdas].sort((a, b) => b.bundleBytes - a.bundleBytes)[0];
  if (!http || !biggest) return ['- (no Lambda measurements)'];
  const over = lambdas.filter((l) => l.bundleBytes > BUNDLE_GOAL_BYTES).map((l) => l.name);
  return [
    check(
      http.initCpuMs <= HTTP_INIT_GOAL_MS,
      `HTTP function init <= ${HTTP_INIT_GOAL_MS} ms: ${http.initCpuMs.toFixed(0)} ms CPU (median; judged on CPU ` +
        `time, which waiting for the other processes of a shared machine does not inflate), ` +
        `${http.initMs.toFixed(0)} ms wall.`,
    ),
    check(
      over.length === 0,
      `Every Lambda bundle <= 1 MB minified: largest ${biggest.name} ${(biggest.bundleBytes / 1e6).toFixed(2)} MB` +
        `${over.length ? `; over: ${over.join(', ')}` : ''}.`,
    ),
  ];
}

/**
 * Within the issue's allowance, except one request per session of more than 200 files without
 * any FAILED file: listing no FAILED file still takes a request (see section 2).
 */
function summaryCheck(ref: BenchResults['reference'], check: Check): string {
  const allowance = summaryAllowance(ref.sessions);
  const exception = ref.sessions.filter((s) => s.files > 200 && s.failed === 0).length;
  const requests = ref.summary.served.requests;
  const extra = exception > 0 ? ` + ${int(exception)} (sessions > 200 files with none FAILED)` : '';
  return check(
    requests <= allowance + exception && countsExact(ref.summary.result, ref.sessions),
    `Summary mode within its allowance, counts exact: ${int(requests)} requests <= ${int(allowance)}${extra}.`,
  );
}

/**
 * Flat = bounded, not proportional to the files. Between the two largest runs (4× the files) the
 * peak RSS grows by at most 1.2×, i.e. a few bytes per extra file where holding the rows would
 * take ~130 (a CSV row); the live heap grows by at most 1.5× over all sizes. Smaller, shorter runs
 * peak lower: V8 has not grown its heap to its working size yet.
 */
function flatMemoryCheck(memory: ScalingResult[], check: Check): string {
  const runs = memory.map((s) => ({ ...s.atZero!.result, files: datasetTotals(s.sessions).files }));
  if (runs.length < 2) return '- (fewer than two memory runs)';
  const live = runs.map((r) => r.maxLiveHeapBytes).filter((bytes) => bytes > 0);
  const [a, b] = [runs.at(-2)!, runs.at(-1)!];
  const perFile = (b.maxRssBytes - a.maxRssBytes) / (b.files - a.files);
  const liveFlat = live.length < 2 || Math.max(...live) / Math.min(...live) <= 1.5;
  return check(
    liveFlat && b.maxRssBytes / a.maxRssBytes <= 1.2,
    `Flat memory: peak RSS ${runs.map((r) => mib(r.maxRssBytes)).join(' / ')} over ` +
      `${runs.map((r) => int(r.files)).join(' / ')} files: ${ratio(b.maxRssBytes / a.maxRssBytes)} ` +
      `(${perFile.toFixed(0)} bytes per extra file) from ${int(a.files)} to ${int(b.files)}; ` +
      `live heap ${live.map(mib).join(' / ')}.`,
  );
}
