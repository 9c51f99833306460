/**
 * The headline measurement: `npm run report` itself, as a user types it (npm, the launcher and
 * its freshness check, the bundle), against the emulator child, into a fresh folder. Wall time
 * is spawn to exit. GNU time (`/usr/bin/time`) gives the peak RSS, the largest resident set of
 * the command's processes (the report's node process: npm's own is smaller), and the command's
 * CPU time, npm included. The run's own figures (duration, requests, counts) come from its
 * summary.json.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorProcess } from './emulator-process';
import { timedSpawn } from './measure';
import type { ReportChildResult } from './report-child';
import type { Run } from './runs';

const ROOT = join(import.meta.dirname, '..');
const GNU_TIME = '/usr/bin/time';
const TIME_LINE = /^bench-max-rss-kib=(\d+) bench-cpu-s=([\d.]+)\+([\d.]+)$/m;

/** What one `npm run report` gave: the child's counts, from summary.json, and the command's cost. */
export interface NpmReportResult
  extends Pick<
    ReportChildResult,
    'complete' | 'durationMs' | 'sessions' | 'files' | 'byStatus' | 'requests' | 'retries'
  > {
  /** NaN when GNU time is not installed. */
  maxRssBytes: number;
  /** CPU time (user + system) of the whole command, npm included; NaN without GNU time. */
  cpuMs: number;
}

/** `npm run report -- --workspace demo --mode M --concurrency N --out <fresh dir> --quiet`. */
export async function runNpmReport(
  scratch: string,
  emulator: EmulatorProcess,
  options: { mode: 'full' | 'summary'; concurrency: number },
): Promise<Run<NpmReportResult>> {
  const out = await mkdtemp(join(scratch, 'npm-out-'));
  try {
    await emulator.takeStats();
    const npm = ['npm', 'run', 'report', '--', '--workspace', 'demo', '--mode', options.mode];
    const args = [
      ...npm,
      '--concurrency',
      String(options.concurrency),
      '--out',
      join(out, 'report'),
      '--quiet',
    ];
    const timed = existsSync(GNU_TIME);
    const command = timed ? [GNU_TIME, '-f', 'bench-max-rss-kib=%M bench-cpu-s=%U+%S', ...args] : args;
    const env = { DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: 'bench' };
    const { wallMs, code, stdout, stderr } = await timedSpawn(command, { env, cwd: ROOT });
    if (code !== 0) throw new Error(`npm run report exited with ${code}: ${stderr.trim()}`);
    const summary = JSON.parse(await readFile(join(out, 'report', 'summary.json'), 'utf8'));
    const [, rssKib, user, system] = TIME_LINE.exec(stderr) ?? [];
    const result: NpmReportResult = {
      complete: summary.complete,
      durationMs: summary.duration_ms,
      sessions: summary.sessions.total,
      files: summary.files.total,
      byStatus: summary.files.by_ingestion_status,
      requests: summary.api_requests,
      retries: summary.api_retries,
      maxRssBytes: rssKib === undefined ? Number.NaN : Number(rssKib) * 1024,
      cpuMs: (Number(user) + Number(system)) * 1000,
    };
    return { wallMs, result, stdout, served: await emulator.takeStats() };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
