/**
 * `npm run bench [-- --quick]`: the naive script vs our report on the same emulated data, then
 * memory, adaptive concurrency and wall time as the workspace grows, then the extra cost of
 * comparing a run with the previous one (changes.csv, ./changes-scenario). Prints the tables and
 * writes bench/results/latest.md and bench/results/wall-time.svg.
 *
 * Every measured program runs in its own process (bundled with esbuild), and so does the
 * emulator: the report's peak RSS and CPU are its own. Numbers, not pass/fail tests: the
 * targets section says which hold on this machine today.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../build/build-cli.js';
import { bundleChildScripts } from './bundle';
import { changesScenario } from './changes-scenario';
import { changesSections } from './changes-section';
import { wallTimeChart } from './chart';
import { measureColdStarts } from './lambda-cold-start';
import { lambdaSection } from './lambda-section';
import { referenceSections } from './reference-sections';
import type { BenchResults } from './results';
import { chartPoints, scalingSections } from './scaling-sections';
import { CONCURRENCY, LATENCY_MS, referenceScenario, type ScalingPlan, scalingScenario } from './scenarios';
import { targetsSection } from './targets';

/** The reference size of the issue: 100 sessions, about 54k files. */
const REFERENCE = { sessions: 100, maxFiles: 1125 };
const ADAPTIVE = { maxRps: 150, concurrency: 32 };
/** The quick reference is ~100 requests: a lower cap, or the 1-second burst would absorb them all. */
const QUICK_ADAPTIVE = { maxRps: 40, concurrency: 32 };

const FULL_SCALING: ScalingPlan[] = [
  { sessions: 20, maxFiles: 1000, atLatency: true, naive: true, atZero: false },
  { sessions: 25, maxFiles: 5000, atLatency: false, naive: false, atZero: true },
  { sessions: 105, maxFiles: 5000, atLatency: true, naive: false, atZero: true, npmAtZero: true },
  { sessions: 420, maxFiles: 5000, atLatency: true, naive: false, atZero: true },
];
const QUICK_REFERENCE = { sessions: 40, maxFiles: 500 };
/** The changes step: a million files against a million-file baseline (about 250,000 with --quick). */
const CHANGES = { sessions: 420, maxFiles: 5000 };
const QUICK_CHANGES = { sessions: 105, maxFiles: 5000 };
const QUICK_SCALING: ScalingPlan[] = [
  { sessions: 25, maxFiles: 5000, atLatency: true, naive: false, atZero: true },
  { sessions: 105, maxFiles: 5000, atLatency: true, naive: false, atZero: true, npmAtZero: true },
];

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const log = (text: string) => process.stderr.write(`bench: ${text}\n`);
  const started = performance.now();
  log('building the CLI bundle (npm run report runs it) and bundling the child scripts');
  await buildCli();
  const scripts = await bundleChildScripts();
  try {
    const referenceSize = quick ? QUICK_REFERENCE : REFERENCE;
    log(
      `reference: ${referenceSize.sessions} sessions, max ${referenceSize.maxFiles} files each (naive, full, summary, adaptive)`,
    );
    const reference = await referenceScenario(scripts, referenceSize, quick ? QUICK_ADAPTIVE : ADAPTIVE);
    const scaling = [];
    for (const plan of quick ? QUICK_SCALING : FULL_SCALING) {
      log(`scaling: ${plan.sessions} sessions, max ${plan.maxFiles} files each`);
      scaling.push(await scalingScenario(scripts, plan));
    }
    const changes = [];
    for (const latencyMs of quick ? [0] : [0, LATENCY_MS]) {
      const size = quick ? QUICK_CHANGES : CHANGES;
      log(
        `changes: ${size.sessions} sessions, max ${size.maxFiles} files each, against a baseline, at ${latencyMs} ms`,
      );
      changes.push(await changesScenario(scripts, size, { rounds: quick ? 1 : 2, latencyMs }));
    }
    log('Lambda cold start: bundling each function as the CDK does, timing fresh imports');
    const lambdas = await measureColdStarts(quick ? 3 : 7);
    const results: BenchResults = {
      quick,
      reference,
      scaling,
      lambdas,
      naiveMsPerRequest: reference.naive.wallMs / reference.naive.result.requests,
      changes,
    };
    const machine = `${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}`;
    const markdown = [
      `# Benchmark results${quick ? ' (--quick)' : ''}`,
      '',
      `${new Date().toISOString().slice(0, 10)}, ${machine}; the emulator runs in its own process on the same machine. ` +
        `Took ${((performance.now() - started) / 1000).toFixed(0)} s.`,
      '',
      [
        ...referenceSections(results),
        ...scalingSections(results),
        changesSections(results.changes),
        lambdaSection(results.lambdas),
        targetsSection(results),
      ].join('\n\n'),
    ].join('\n');
    process.stdout.write(`${markdown}\n`);
    const dir = join(import.meta.dirname, 'results');
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'latest.md'), `${markdown}\n`);
    const note = `${new Date().toISOString().slice(0, 10)}, ${availableParallelism()} cores`;
    await writeFile(
      join(dir, 'wall-time.svg'),
      wallTimeChart(chartPoints(results), { latencyMs: LATENCY_MS, concurrency: CONCURRENCY, note }),
    );
    log(`wrote ${join(dir, 'latest.md')} and wall-time.svg`);
  } finally {
    await rm(scripts.dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
