/**
 * Bundles the benchmark's child scripts with esbuild, as the Lambda functions are bundled: the
 * measured processes then start in a fraction of a second and load only what they use, instead
 * of compiling TypeScript on the fly (tsx adds about a second and 40 MB to a process).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

/** The bundled scripts, runnable with plain `node`. */
export interface ChildScripts {
  dir: string;
  report: string;
  naive: string;
  emulator: string;
  fixed: string;
  changes: string;
}

const ENTRIES = {
  report: 'report-child.ts',
  naive: 'naive.ts',
  emulator: 'emulator-child.ts',
  fixed: 'fixed.ts',
  changes: 'changes-child.ts',
} as const;

/** esbuild settings of every bench script that runs as its own node process. */
export const NODE_SCRIPT_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'error',
  // Some dependencies are CommonJS and call require() for Node built-ins.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
} as const;

export async function bundleChildScripts(): Promise<ChildScripts> {
  const dir = await mkdtemp(join(tmpdir(), 'ingestion-bench-'));
  const here = import.meta.dirname;
  await build({
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(here, file)])),
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    ...NODE_SCRIPT_BUNDLE,
  });
  return {
    dir,
    report: join(dir, 'report.mjs'),
    naive: join(dir, 'naive.mjs'),
    emulator: join(dir, 'emulator.mjs'),
    fixed: join(dir, 'fixed.mjs'),
    changes: join(dir, 'changes.mjs'),
  };
}
