/**
 * A live progress line on stderr for a TTY: sessions done/total, files, requests per second,
 * retries and an ETA from the session rate. Redrawn a few times a second, never on a pipe.
 */
import type { ClientStats } from '../../lib/api';
import type { RunProgress } from '../../lib/report/progress';

const WIDTH = 24;

export function startProgressBar(
  progress: RunProgress,
  stats: ClientStats,
  stream: NodeJS.WriteStream = process.stderr,
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

export function progressLine(progress: RunProgress, stats: ClientStats, elapsedMs: number): string {
  const total = progress.sessionsTotal;
  const done = progress.sessionsDone;
  const fraction = total ? done / total : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = total === undefined ? '·'.repeat(WIDTH) : '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const rate = Math.round(stats.requests / seconds);
  const eta = total && done > 0 ? `ETA ${formatSeconds(((total - done) * seconds) / done)}` : 'ETA …';
  const sessions = total === undefined ? 'listing sessions' : `sessions ${done}/${total}`;
  return `${bar} ${sessions} · files ${progress.filesFetched.toLocaleString('en')} · ${rate} req/s · retries ${stats.retries} · ${eta}`;
}

function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${Math.ceil(seconds)}s` : `${Math.floor(seconds / 60)}m${Math.ceil(seconds % 60)}s`;
}
