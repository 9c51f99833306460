/**
 * Runs the emulator on a real HTTP port (127.0.0.1, port 0 = any free port) for tests,
 * benchmarks and the CLI. `close()` also cuts hung and keep-alive connections, so it never
 * waits for a request that will not finish.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createEmulatorApp } from './app';
import { type Dataset, type DatasetOptions, generateDataset } from './dataset';
import { createFaults, type Faults } from './faults';
import { createStats, type EmulatorStats } from './stats';

/** What to serve: a dataset (given, or generated from the dataset options), a key, fault knobs. */
export interface EmulatorOptions extends DatasetOptions {
  /** When set, only this bearer key is accepted. */
  apiKey?: string;
  /** Initial fault knobs (the running emulator's `faults` stays mutable). */
  faults?: Partial<Faults>;
  /** Serve this dataset instead of generating one. */
  dataset?: Dataset;
  /** Seed of the random-fault RNG; default 1. */
  faultSeed?: number;
}

/** A running emulator; its `dataset` and `faults` are live (mutate, then `touch` the dataset). */
export interface RunningEmulator {
  /** Base URL including /api/v1, e.g. http://127.0.0.1:PORT/api/v1 */
  url: string;
  port: number;
  dataset: Dataset;
  faults: Faults;
  stats: EmulatorStats;
  close(): Promise<void>;
}

/**
 * Starts the emulator.
 *
 * @example
 * const emulator = await startEmulator({ sessions: 5, maxFiles: 300 });
 * await fetch(`${emulator.url}/workspaces/demo/upload_sessions`, { headers: { authorization: 'Bearer k' } });
 * await emulator.close();
 */
export async function startEmulator(
  options: EmulatorOptions & { port?: number; host?: string } = {},
): Promise<RunningEmulator> {
  const dataset = options.dataset ?? generateDataset(options);
  const faults = createFaults(options.faults);
  const stats = createStats();
  const app = createEmulatorApp({
    dataset,
    faults,
    stats,
    apiKey: options.apiKey,
    faultSeed: options.faultSeed,
  });
  const host = options.host ?? '127.0.0.1';
  const server = await listen(app.fetch, options.port ?? 0, host);
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}/api/v1`,
    port,
    dataset,
    faults,
    stats,
    close: () => shutDown(server),
  };
}

function listen(fetch: (request: Request) => Response | Promise<Response>, port: number, host: string) {
  return new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch, port, hostname: host }, () => resolve(server)) as Server;
    server.once('error', (error) =>
      reject(
        new Error(`The emulator could not listen on ${host}:${port}: ${error.message}`, { cause: error }),
      ),
    );
  });
}

function shutDown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export type { EmulatorStats } from './stats';
