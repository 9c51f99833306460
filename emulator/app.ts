/**
 * The emulator as a Hono app: both upload-sessions endpoints under /api/v1, behind the fault
 * injector (the "proxy") and bearer auth, with FastAPI's 404/405 bodies for anything else.
 */
import { Hono } from 'hono';
import { requireBearerKey } from './auth';
import type { Dataset } from './dataset';
import { injectFaults } from './fault-injection';
import type { Faults } from './faults';
import { listSessionFiles, listSessions } from './handlers';
import { createRandom } from './random';
import { TokenBucket } from './rate-limiter';
import type { EmulatorStats } from './stats';
import { ViewCache } from './views';

const SESSIONS_PATH = '/api/v1/workspaces/:workspace_name/upload_sessions';
const FILES_PATH = `${SESSIONS_PATH}/:session_id/files`;

/** What the app serves and how it misbehaves. */
export interface EmulatorAppOptions {
  dataset: Dataset;
  faults: Faults;
  /** When set, only this bearer key is accepted (others: 403). */
  apiKey?: string;
  stats: EmulatorStats;
  /** Seed of the RNG that draws random faults; default 1. */
  faultSeed?: number;
}

/**
 * Builds the app. Serve it with `startEmulator` (the reset fault needs a Node socket) or call
 * `app.request()` directly for everything else.
 *
 * @example createEmulatorApp({ dataset: generateDataset(), faults: createFaults(), stats: createStats() })
 */
export function createEmulatorApp(options: EmulatorAppOptions): Hono {
  const { faults, stats } = options;
  const deps = { views: new ViewCache(options.dataset), faults, stats };
  const injection = {
    faults,
    stats,
    random: createRandom(options.faultSeed ?? 1),
    bucket: new TokenBucket(),
  };
  const auth = requireBearerKey(options.apiKey);
  const app = new Hono();
  app.use('*', async (_c, next) => {
    stats.requests++;
    await next();
  });
  app.get(SESSIONS_PATH, countRequest(stats, 'sessionsRequests'), injectFaults(injection, 'sessions'), auth);
  app.get(SESSIONS_PATH, listSessions(deps));
  app.get(FILES_PATH, countRequest(stats, 'filesRequests'), injectFaults(injection, 'files'), auth);
  app.get(FILES_PATH, listSessionFiles(deps));
  app.all(SESSIONS_PATH, (c) => c.json({ detail: 'Method Not Allowed' }, 405, { allow: 'GET' }));
  app.all(FILES_PATH, (c) => c.json({ detail: 'Method Not Allowed' }, 405, { allow: 'GET' }));
  app.notFound((c) => c.json({ detail: 'Not Found' }, 404));
  return app;
}

function countRequest(stats: EmulatorStats, counter: 'sessionsRequests' | 'filesRequests') {
  return async (_c: unknown, next: () => Promise<void>) => {
    stats[counter]++;
    await next();
  };
}

export type { EmulatorStats } from './stats';
