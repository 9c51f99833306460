/**
 * Benchmark of the changes step (changes.csv against the previous run) at about a million
 * files on each side: writes a baseline run folder from an emulator dataset, moves the data
 * one night forward (advanceNight), writes the current run folder, then measures the merge in
 * its own bundled process (bench/changes-child.ts): its time (the extra time a run would
 * spend) and its peak RSS. Prints a Markdown table; not part of `npm run bench`.
 *
 * Usage: npx tsx bench/changes.ts [--sessions 420] [--max-files 5000] [--seed 1]
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { advanceNight } from '../emulator/advance-night';
import { countFiles, type EmulatorSession, generateDataset } from '../emulator/dataset';
import { NODE_SCRIPT_BUNDLE } from './bundle';
import type { ChangesChildResult } from './changes-child';
import { measureChild } from './measure';
import { writeRunFolder } from './run-folder';

const MIB = 1024 * 1024;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sessions: { type: 'string' }, 'max-files': { type: 'string' }, seed: { type: 'string' } },
  });
  const dataset = generateDataset({
    seed: Number(values.seed ?? 1),
    sessions: Number(values.sessions ?? 420),
    maxFiles: Number(values['max-files'] ?? 5000),
    now: new Date('2026-11-20T00:00:00Z'),
  });
  const sessions = dataset.workspaces.get('demo') as EmulatorSession[];
  const dir = await mkdtemp(join(tmpdir(), 'changes-bench-'));
  try {
    const baselineFiles = countFiles(sessions);
    await writeRunFolder(join(dir, 'baseline'), sessions, '20261120T030000000Z-aaaaaa');
    const night = advanceNight(dataset, { seed: 1 });
    await writeRunFolder(join(dir, 'current'), sessions, '20261121T030000000Z-bbbbbb');
    await mkdir(join(dir, 'out'));
    const script = await bundleChild(dir);
    const measured = await measureChild<ChangesChildResult>({
      script,
      args: [join(dir, 'baseline'), join(dir, 'current'), join(dir, 'out')],
    });
    printTable(baselineFiles, countFiles(sessions), measured.result, measured.wallMs);
    const expectedChanged = night.finished + night.failed;
    if (measured.result.summary.status_changed !== expectedChanged) {
      throw new Error(
        `status_changed ${measured.result.summary.status_changed}, the night changed ${expectedChanged}`,
      );
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function bundleChild(dir: string): Promise<string> {
  const outfile = join(dir, 'changes.mjs');
  await build({
    entryPoints: [join(import.meta.dirname, 'changes-child.ts')],
    outfile,
    ...NODE_SCRIPT_BUNDLE,
  });
  return outfile;
}

function printTable(baseline: number, current: number, result: ChangesChildResult, wallMs: number): void {
  const { summary } = result;
  const n = (value: number) => value.toLocaleString('en-US');
  console.log(
    '| baseline files | current files | added | removed | status changed | merge | wall | CPU | peak RSS | peak heap |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(
    `| ${n(baseline)} | ${n(current)} | ${n(summary.added)} | ${n(summary.removed)} | ${n(summary.status_changed)} | ` +
      `${(result.durationMs / 1000).toFixed(2)} s | ${(wallMs / 1000).toFixed(2)} s | ${(result.cpuMs / 1000).toFixed(2)} s | ` +
      `${Math.round(result.maxRssBytes / MIB)} MiB | ${Math.round(result.maxHeapUsedBytes / MIB)} MiB |`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
