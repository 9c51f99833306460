/**
 * A live progress line on stderr for a TTY: sessions done/total, files, requests per second,
 * retries, an ETA from the session rate, and a long retry wait while one lasts. Redrawn a few
 * times a second, never on a pipe (there, only long waits get a line: see ./wait-notes).
 */
import { type ClientStats, describeWait } from '../../lib/api';
import type { RunProgress } from '../../lib/report/progress';
import { startWaitNotes } from './wait-notes';

const WIDTH = 24;

/** The progress line on a TTY, else a line per long retry wait. */
export function startProgressOutput(
  progress: RunProgress,
  stats: ClientStats,
  stream: NodeJS.WritableStream & { isTTY?: boolean },
): { stop(): void } {
  return stream.isTTY === true ? startProgressBar(progress, stats, stream) : startWaitNotes(stats, stream);
}

export function startProgressBar(
  progress: RunProgress,
  stats: ClientStats,
  stream: NodeJS.WritableStream = process.stderr,
): { stop(): void } {
  const startedAt = Date.now();
  const draw = () => stream.write(`\r${progressLine(progress, stats, Date.now() - startedAt)}\x1b[K`);
  const timer = setInterval(draw, 200);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[K');
    },
  };
}

export function progressLine(
  progress: RunProgress,
  stats: ClientStats,
  elapsedMs: number,
  now: number = Date.now(),
): string {
  const total = progress.sessionsTotal;
  const done = progress.sessionsDone;
  const fraction = total ? done / total : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = total === undefined ? '·'.repeat(WIDTH) : '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = Math.round(stats.requests / seconds);
  const eta = total && done > 0 ? `ETA ${formatSeconds(((total - done) * seconds) / done)}` : 'ETA …';
  const sessions = total === undefined ? 'listing sessions' : `sessions ${done}/${total}`;
  const wait = stats.longWait && stats.longWait.endsAt > now ? ` · ${describeWait(stats.longWait, now)}` : '';
  return `${bar} ${sessions} · files ${progress.filesFetched.toLocaleString('en')} · ${rate} req/s · retries ${stats.retries} · ${eta}${wait}`;
}

function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${Math.ceil(seconds)}s` : `${Math.floor(seconds / 60)}m${Math.ceil(seconds % 60)}s`;
}
