/**
 * The changes step as the benchmark measures it, in its own process: open the baseline run
 * folder, stream both runs' files.csv through the merge and write changes.csv to a folder
 * store, then print one JSON line (`ChangesChildResult`): time, peak RSS, peak heap, counts.
 *
 * Usage: node changes.mjs <baseline-dir> <current-dir> <out-dir>
 */
import { type ChangesSummary, openBaseline, openRunFolder, writeChanges } from '../lib/report/changes';
import { StreamedFile } from '../lib/report/streamed-file';
import { FolderStore } from '../lib/store/folder-store';

export interface ChangesChildResult {
  durationMs: number;
  maxRssBytes: number;
  maxHeapUsedBytes: number;
  cpuMs: number;
  summary: ChangesSummary;
}

async function main(): Promise<void> {
  const [baselineDir, currentDir, outDir] = process.argv.slice(2);
  if (!baselineDir || !currentDir || !outDir)
    throw new Error('usage: changes.mjs <baseline> <current> <out>');
  let maxHeap = 0;
  const sampler = setInterval(() => {
    maxHeap = Math.max(maxHeap, process.memoryUsage().heapUsed);
  }, 50);
  const started = performance.now();
  const opened = await openBaseline(new FolderStore(baselineDir), '', 'full');
  if ('unavailable' in opened) throw new Error(opened.unavailable);
  const current = await openRunFolder(new FolderStore(currentDir), '', opened.baseline.scope);
  if ('unavailable' in current) throw new Error(current.unavailable);
  const out = new StreamedFile(new FolderStore(outDir), 'changes.csv', 'text/csv; charset=utf-8');
  const { summary } = await writeChanges(opened.baseline, current, (text) => out.write(text));
  await out.finish();
  const durationMs = performance.now() - started;
  clearInterval(sampler);
  const usage = process.resourceUsage();
  const result: ChangesChildResult = {
    durationMs,
    maxRssBytes: usage.maxRSS * 1024,
    maxHeapUsedBytes: Math.max(maxHeap, process.memoryUsage().heapUsed),
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    summary,
  };
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
