/**
 * Lambda cold start, approximated on this machine: each function's entry bundled with the
 * settings the CDK app uses (infra/report-function.ts: ESM for Node 22, `module` before `main`,
 * minified with names kept, the AWS SDK bundled in, a `require` banner), then its size, and the
 * time a fresh `node --enable-source-maps` process takes to import it: the module loading and
 * top-level code that Lambda's init phase runs. Median of several processes. This machine is
 * not Lambda (x86, Node 20 here; arm64, Node 22 there), so the numbers compare bundles with each
 * other and with the goal, not with Lambda's INIT_DURATION.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');

/** The stack's functions and their entries (infra/service-stack.ts). */
export const LAMBDA_ENTRIES = {
  http: 'functions/http/handler.ts',
  run: 'functions/run/handler.ts',
  nightly: 'functions/nightly/handler.ts',
  'fanout plan': 'functions/fanout/plan/handler.ts',
  'fanout worker': 'functions/fanout/worker/handler.ts',
  'fanout finalize': 'functions/fanout/finalize/handler.ts',
} as const;

export interface ColdStart {
  name: string;
  entry: string;
  bundleBytes: number;
  /** Median import time (wall) of the bundle in a fresh process. */
  initMs: number;
  /** Median CPU time (user + system) of that import: what it costs when other processes compete. */
  initCpuMs: number;
}

/** Bundles every function like the CDK does, then times `runs` fresh imports of each. */
export async function measureColdStarts(runs = 7): Promise<ColdStart[]> {
  const dir = await mkdtemp(join(tmpdir(), 'lambda-bundles-'));
  try {
    const results: ColdStart[] = [];
    for (const [name, entry] of Object.entries(LAMBDA_ENTRIES)) {
      const file = join(dir, name.replace(' ', '-'), 'index.mjs');
      await bundleLikeCdk(entry, file);
      const times: ImportTime[] = [];
      for (let i = 0; i < runs; i++) times.push(await importTime(file));
      results.push({
        name,
        entry,
        bundleBytes: (await stat(file)).size,
        initMs: median(times.map((t) => t.wallMs)),
        initCpuMs: median(times.map((t) => t.cpuMs)),
      });
    }
    return results;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** infra/report-function.ts's BUNDLING, as esbuild options (NodejsFunction passes these through). */
async function bundleLikeCdk(entry: string, outfile: string): Promise<void> {
  await build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    mainFields: ['module', 'main'],
    tsconfig: join(ROOT, 'tsconfig.json'),
    minify: true,
    keepNames: true,
    sourcemap: true,
    sourcesContent: false,
    logLevel: 'error',
    banner: {
      js:
        "import { createRequire as topLevelCreateRequire } from 'node:module';" +
        'const require = topLevelCreateRequire(import.meta.url);',
    },
  });
}

interface ImportTime {
  wallMs: number;
  cpuMs: number;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A fresh process imports the bundle and prints how long that took. */
async function importTime(file: string): Promise<ImportTime> {
  const script =
    'const started = performance.now(); const cpu = process.cpuUsage();' +
    `await import(${JSON.stringify(pathToFileURL(file).href)});` +
    'const { user, system } = process.cpuUsage(cpu);' +
    'process.stdout.write(JSON.stringify({ wallMs: performance.now() - started, cpuMs: (user + system) / 1000 }));';
  const { stdout } = await run(
    process.execPath,
    ['--enable-source-maps', '--input-type=module', '-e', script],
    {
      env: { ...process.env, AWS_REGION: 'eu-central-1' },
    },
  );
  return JSON.parse(stdout) as ImportTime;
}
