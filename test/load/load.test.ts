/**
 * Load on loopback, so a busy dashboard is known to stay correct: the local server (`npm start`'s startLocalServer, in a process of
 * its own, see ./server-process.ts) in front of an emulator that injects faults into ~10% of
 * requests. 50 concurrent readers read runs and latest, list runs, open the dashboard and follow
 * 302 downloads to the presigned S3 URLs, while 5 report runs of the same workspace go on one
 * after another, each started by 3 callers at once (one 202, two 409: one run at a time).
 * Bounded in count (at most 12 rounds per reader) and time (25 s). Expected: no errors,
 * every download equal to the truth (rows lost = 0), latest.json valid and naming the newest
 * completed run, and the server's memory bounded. The figures are printed (docs/reliability.md).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { localS3ClientConfig } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { LOCAL_REPORT_PREFIX } from '../../functions/local/local-server';
import { LatestPointer } from '../../lib/report/latest-pointer';
import { isRunId } from '../../lib/report/run-id';
import { csvBody } from '../reliability/report-fixture';
import { type Truth, truthOf } from '../support/truth';
import type { ServerMessage, ServerStats } from './server-process';

const KEY = 'load-key-3e9a71c5';
const READERS = 50;
const RUNS = 5;
/** Callers pressing "run now" at once in each round. */
const RUN_PRESSES = 3;
const MIN_ROUNDS = 3;
const MAX_ROUNDS = 12;
const DEADLINE_MS = 20_000;
const CSV_FILES = ['sessions.csv', 'files.csv', 'failed_files.csv'] as const;
const MiB = 1024 * 1024;

let emulator: RunningEmulator;
let child: ChildProcess;
let dataDir: string;
let baseUrl: string;
let s3: { endpoint: string; bucket: string };
let truth: Truth;

/** Sends `message` to the server process and waits for its answer of `type`. */
function ask<T extends ServerMessage['type']>(type: T, message?: string) {
  return new Promise<Extract<ServerMessage, { type: T }>>((resolve, reject) => {
    const onMessage = (answer: ServerMessage) => {
      if (answer.type === 'failed') reject(new Error(`the server process failed: ${answer.error}`));
      if (answer.type !== type) return;
      child.off('message', onMessage);
      resolve(answer as Extract<ServerMessage, { type: T }>);
    };
    child.on('message', onMessage);
    if (message) child.send(message);
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 41, sessions: 24, maxFiles: 400, apiKey: KEY });
  truth = truthOf(emulator.dataset.workspaces.get('demo')!);
  dataDir = await mkdtemp(join(tmpdir(), 'load-'));
  child = fork(fileURLToPath(new URL('./server-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOAD_DATA_DIR: dataDir,
      DEEPSET_API_URL: emulator.url,
      DEEPSET_API_KEY: KEY,
      DEEPSET_WORKSPACES: 'demo',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await ask('ready');
  expect(ready.firstReport).toMatchObject({ summary: { complete: true } });
  baseUrl = ready.url;
  s3 = ready.s3;
}, 30_000);

afterAll(async () => {
  if (child?.connected) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.send('stop');
    await exited;
  }
  await emulator?.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** What the load produced, for the assertions and the printed figures. */
const figures = {
  apiRequests: 0,
  downloads: 0,
  downloadBytes: 0,
  readLatencies: [] as number[],
  runIds: [] as string[],
  runMs: [] as number[],
  rowsLost: 0,
  errors: [] as string[],
};

async function call(path: string, init: RequestInit & { expect: number }): Promise<Response> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${path}`, { redirect: 'manual', ...init });
  figures.apiRequests++;
  if (init.method !== 'POST') figures.readLatencies.push(performance.now() - started);
  if (response.status !== init.expect) {
    figures.errors.push(
      `${init.method ?? 'GET'} ${path}: ${response.status} ${(await response.clone().text()).slice(0, 200)}`,
    );
  }
  return response;
}

/** Follows a 302 to the presigned URL and returns the file, checking the link's lifetime. */
async function download(path: string): Promise<string | undefined> {
  const redirect = await call(path, { expect: 302 });
  const location = redirect.headers.get('location');
  if (redirect.status !== 302 || !location) return undefined;
  const expires = Number(new URL(location).searchParams.get('X-Amz-Expires'));
  if (!(expires > 0 && expires <= 900)) figures.errors.push(`${path}: link lives ${expires} s`);
  const file = await fetch(location);
  const text = await file.text();
  figures.downloads++;
  figures.downloadBytes += text.length;
  if (file.status !== 200) figures.errors.push(`download ${path}: ${file.status}`);
  return text;
}

/** Rows of the truth missing from a downloaded CSV (0 when it is exact); a mismatch is an error. */
function rowsLost(name: (typeof CSV_FILES)[number], text: string | undefined, where: string): number {
  const expected = {
    'sessions.csv': truth.sessionRows,
    'files.csv': truth.fileRows,
    'failed_files.csv': truth.failedRows,
  }[name];
  const rows = text === undefined ? [] : csvBody(text);
  const got = new Set(rows.map((row) => JSON.stringify(row)));
  const lost = expected.filter((row) => !got.has(JSON.stringify(row))).length;
  if (lost > 0 || rows.length !== expected.length)
    figures.errors.push(`${where}: ${lost} rows lost, ${rows.length} rows`);
  return lost;
}

let runsDone = false;

async function reader(index: number, deadline: number): Promise<void> {
  for (
    let round = 0;
    round < MAX_ROUNDS && (round < MIN_ROUNDS || !runsDone) && Date.now() < deadline;
    round++
  ) {
    const latest = await call('/workspaces/demo/reports/latest', { expect: 200 });
    const run = latest.ok
      ? ((await latest.json()) as { summary: { run_id: string; complete: boolean } })
      : undefined;
    if (run && (!run.summary.complete || !isRunId(run.summary.run_id)))
      figures.errors.push('latest: not a complete run');
    await (await call('/workspaces/demo/reports?limit=5', { expect: 200 })).arrayBuffer();
    const runId = run?.summary.run_id ?? 'latest';
    const name = CSV_FILES[(index + round) % CSV_FILES.length]!;
    figures.rowsLost += rowsLost(
      name,
      await download(`/workspaces/demo/reports/${runId}/${name}`),
      `reader ${index}`,
    );
    if (round % 4 === 0) await (await call('/workspaces/demo/dashboard', { expect: 200 })).arrayBuffer();
  }
}

/** One round of "run now": RUN_PRESSES callers at once, exactly one 202; followed to its end. */
async function reportRun(): Promise<void> {
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: RUN_PRESSES }, () =>
      fetch(`${baseUrl}/workspaces/demo/reports`, { method: 'POST', redirect: 'manual' }),
    ),
  );
  figures.apiRequests += answers.length;
  const statuses = answers.map((answer) => answer.status).sort();
  const expected = [202, ...Array(RUN_PRESSES - 1).fill(409)].join();
  if (statuses.join() !== expected) figures.errors.push(`run presses answered ${statuses.join(', ')}`);
  const accepted = answers.find((answer) => answer.status === 202);
  if (!accepted) return;
  const { run_id: runId } = (await accepted.json()) as { run_id: string };
  for (;;) {
    const response = await call(`/workspaces/demo/reports/${runId}`, { expect: 200 });
    if (!response.ok) return;
    const body = (await response.json()) as {
      status: string;
      summary?: { complete: boolean; files: { total: number } };
    };
    if (body.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 50));
      continue;
    }
    figures.runMs.push(Math.round(performance.now() - started));
    if (!body.summary?.complete || body.summary.files.total !== truth.filesTotal)
      figures.errors.push(`run ${runId} inexact`);
    figures.runIds.push(runId);
    return;
  }
}

const stats = async (): Promise<ServerStats> => (await ask('stats', 'stats')).stats;
const percentile = (values: number[], p: number) =>
  Math.round(
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ??
      0,
  );

const MiBs = (bytes: number) => (bytes / MiB).toFixed(0);

/** The figures docs/reliability.md records, as printed lines. */
function printFigures(
  loadMs: number,
  before: ServerStats,
  after: ServerStats,
  upstream: { requests: number; faults: number },
) {
  const latencies = ['50', '95', '100'].map((p) => percentile(figures.readLatencies, Number(p))).join(' / ');
  const report = {
    'load duration (s)': (loadMs / 1000).toFixed(1),
    'HTTP API requests served': after.requests - before.requests,
    'by status': JSON.stringify(after.byStatus),
    'presigned downloads': `${figures.downloads} (${(figures.downloadBytes / MiB).toFixed(1)} MiB)`,
    'read latency p50 / p95 / max (ms)': latencies,
    'runs completed': `${figures.runIds.length} of ${RUNS} (${figures.runMs.join(', ')} ms)`,
    'upstream requests': emulator.stats.requests - upstream.requests,
    'upstream faults injected': emulator.stats.faultsInjected - upstream.faults,
    'rows lost': figures.rowsLost,
    errors: `${figures.errors.length} ${JSON.stringify([...figures.errors, ...after.errors].slice(0, 3))}`,
    'server RSS before / peak / after (MiB)': `${MiBs(before.rssBytes)} / ${MiBs(after.peakRssBytes)} / ${MiBs(after.rssBytes)}`,
    'server heap after GC before / after (MiB)': `${MiBs(before.heapUsedBytes)} / ${MiBs(after.heapUsedBytes)}`,
  };
  console.log(
    `load figures\n${Object.entries(report)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n')}`,
  );
}

/** Downloads every CSV of every completed run (each must equal the truth); the newest run id. */
async function verifyRuns(): Promise<string | undefined> {
  for (const runId of figures.runIds) {
    for (const name of CSV_FILES) {
      const text = await download(`/workspaces/demo/reports/${runId}/${name}`);
      figures.rowsLost += rowsLost(name, text, `run ${runId}`);
    }
  }
  return [...figures.runIds].sort().at(-1);
}

/** latest.json as the API serves it and as it is stored, parsed. */
async function readLatestBothWays() {
  const response = await call('/workspaces/demo/reports/latest', { expect: 200 });
  const served = ((await response.json()) as { summary: { run_id: string } }).summary.run_id;
  const key = `${LOCAL_REPORT_PREFIX}demo/latest.json`;
  const object = await new S3Client(localS3ClientConfig(s3.endpoint)).send(
    new GetObjectCommand({ Bucket: s3.bucket, Key: key }),
  );
  const stored = LatestPointer.parse(JSON.parse(await object.Body!.transformToString()));
  return { served, stored: stored.run_id };
}

it('serves 50 concurrent readers during 5 runs (3 presses each): no errors, exact files, latest moves to the newest, memory bounded', async () => {
  emulator.faults.random = (['rate-limit', 'server-error', 'reset', 'truncate', 'invalid-json'] as const).map(
    (kind) => ({ fault: { kind, html: true, retryAfter: '0' }, probability: 0.02 }),
  );
  const before = await stats();
  const upstream = { requests: emulator.stats.requests, faults: emulator.stats.faultsInjected };
  const started = Date.now();
  const runs = (async () => {
    for (let round = 0; round < RUNS; round++) await reportRun();
  })().finally(() => {
    runsDone = true;
  });
  await Promise.all([
    runs,
    ...Array.from({ length: READERS }, (_, index) => reader(index, started + DEADLINE_MS)),
  ]);
  const loadMs = Date.now() - started;
  emulator.faults.random = [];

  const newest = await verifyRuns();
  const latest = await readLatestBothWays();
  const after = await stats();
  printFigures(loadMs, before, after, upstream);

  expect.soft(figures.errors).toEqual([]);
  expect.soft(after.errors, 'the server logged no error').toEqual([]);
  expect.soft(figures.rowsLost).toBe(0);
  expect.soft(figures.runIds).toHaveLength(RUNS);
  expect.soft(latest).toEqual({ served: newest, stored: newest });
  expect.soft(emulator.stats.faultsInjected - upstream.faults, 'faults were injected').toBeGreaterThan(10);
  expect.soft(loadMs, 'bounded in time').toBeLessThan(DEADLINE_MS + 20_000);
  expect.soft(after.heapUsedBytes - before.heapUsedBytes, 'heap after GC').toBeLessThan(64 * MiB);
  expect.soft(after.peakRssBytes - before.rssBytes, 'peak RSS growth').toBeLessThan(512 * MiB);
}, 60_000);
