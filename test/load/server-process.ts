/**
 * What `npm start` runs (startLocalServer: s3rver, a first report, the HTTP app on a port), in a
 * process of its own so the load test measures the server's memory and not its own. Started by
 * test/load/load.test.ts with `fork` (IPC): it sends `ready` once listening, answers `stats`
 * with its memory (after a GC) and request counters, and stops on `stop`. The data directory and
 * the upstream API come from the environment (LOAD_DATA_DIR, DEEPSET_API_URL, DEEPSET_API_KEY).
 */
import type { HttpLogger } from '../../functions/http/deps';
import { startLocalServer } from '../../functions/local/local-server';

/** Messages from this process to the test. */
export type ServerMessage =
  | { type: 'ready'; url: string; s3: { endpoint: string; bucket: string }; firstReport: unknown }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'failed'; error: string };

/** What the server process counted and measured. */
export interface ServerStats {
  /** Requests answered by the HTTP app (its access log). */
  requests: number;
  byStatus: Record<string, number>;
  /** Error log entries (5xx details, skipped runs). */
  errors: string[];
  rssBytes: number;
  peakRssBytes: number;
  heapUsedBytes: number;
}

const counters = { requests: 0, byStatus: {} as Record<string, number>, errors: [] as string[] };
const logger: HttpLogger = {
  info: (message, fields = {}) => {
    if (message !== 'request') return;
    counters.requests++;
    const status = String(fields.status);
    counters.byStatus[status] = (counters.byStatus[status] ?? 0) + 1;
  },
  error: (message, fields = {}) => {
    const error = fields.error instanceof Error ? fields.error : undefined;
    const causes: string[] = [];
    for (let e: unknown = error; e instanceof Error && causes.length < 4; e = e.cause)
      causes.push(`${e.name}: ${e.message}`);
    counters.errors.push([message, ...causes].join(' <- ').slice(0, 500));
  },
};

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);

function stats(): ServerStats {
  (globalThis as { gc?: () => void }).gc?.();
  const memory = process.memoryUsage();
  return {
    ...counters,
    rssBytes: memory.rss,
    peakRssBytes: Math.max(peakRss, memory.rss),
    heapUsedBytes: memory.heapUsed,
  };
}

const send = (message: ServerMessage) => process.send?.(message);

try {
  const dataDir = process.env.LOAD_DATA_DIR;
  if (!dataDir) throw new Error('LOAD_DATA_DIR is not set');
  const local = await startLocalServer({ port: 0, dataDir, env: process.env, logger });
  process.on('message', (message) => {
    if (message === 'stats') send({ type: 'stats', stats: stats() });
    if (message === 'stop') {
      clearInterval(sampler);
      void local.close().finally(() => process.exit(0));
    }
  });
  const s3 = { endpoint: local.s3.endpoint, bucket: local.s3.bucket };
  send({ type: 'ready', url: local.url, s3, firstReport: local.firstReport });
} catch (error) {
  send({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
}
