/**
 * Parts of the changes step measured alone, in their own process: the merge over two written
 * run folders (open the baseline, stream both runs' files.csv through it, write changes.csv to
 * a folder store), or only reading the current run's rows back as records (what a run spends
 * re-reading its own rows for the merge). Prints one JSON line (`ChangesChildResult`): time,
 * peak RSS, peak heap, counts.
 *
 * Usage: node changes.mjs merge <baseline-dir> <current-dir> <out-dir>
 *        node changes.mjs parse <current-dir>
 */
import {
  type ChangesSummary,
  fileRows,
  openBaseline,
  openRunFolder,
  writeChanges,
} from '../lib/report/changes';
import { StreamedFile } from '../lib/report/streamed-file';
import { CSV_CONTENT_TYPE } from '../lib/store/content';
import { FolderStore } from '../lib/store/folder-store';

export interface ChangesChildResult {
  durationMs: number;
  maxRssBytes: number;
  maxHeapUsedBytes: number;
  cpuMs: number;
  /** The merge's counts (merge), or the rows read (parse). */
  summary?: ChangesSummary;
  rows?: number;
}

async function merge(baselineDir: string, currentDir: string, outDir: string) {
  const opened = await openBaseline(new FolderStore(baselineDir), '', 'full');
  if ('unavailable' in opened) throw new Error(opened.unavailable);
  const current = await openRunFolder(new FolderStore(currentDir), '', opened.baseline.scope);
  if ('unavailable' in current) throw new Error(current.unavailable);
  const out = new StreamedFile(new FolderStore(outDir), 'changes.csv', CSV_CONTENT_TYPE);
  const { summary } = await writeChanges(opened.baseline, current, (text) => out.write(text));
  await out.finish();
  return { summary };
}

async function parse(currentDir: string) {
  const body = await new FolderStore(currentDir).readStream('files.csv');
  if (!body) throw new Error(`no files.csv in ${currentDir}`);
  let rows = 0;
  for await (const batch of fileRows(body, 'files.csv')) rows += batch.length;
  return { rows };
}

async function main(): Promise<void> {
  const [step, ...dirs] = process.argv.slice(2);
  const [a, b, c] = dirs;
  let maxHeap = 0;
  const sampler = setInterval(() => {
    maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  }, 50);
  const started = performance.now();
  const counted =
    step === 'merge' && a && b && c
      ? await merge(a, b, c)
      : step === 'parse' && a
        ? await parse(a)
        : undefined;
  if (!counted) throw new Error('usage: changes.mjs merge <baseline> <current> <out> | parse <current>');
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  const usage = process.resourceUsage();
  const result: ChangesChildResult = {
    durationMs,
    maxRssBytes: usage.maxRSS * 1024,
    maxHeapUsedBytes: Math.max(maxHeap, process.memoryUsage().heapUsed),
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    ...counted,
  };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
