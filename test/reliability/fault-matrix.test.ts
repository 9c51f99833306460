/**
 * The fault matrix: every way the upstream API misbehaves, each driven by the
 * emulator's knobs over real HTTP, each running a whole report into a real folder. A transient
 * fault must leave no trace in the output: the CSVs equal the truth computed straight from the
 * dataset, row for row, and byte for byte the CSVs of a run without faults. Schema drift must
 * fail the run loudly: the error names the field and the endpoint, no CSV is left, and
 * summary.json says `complete: false` and why.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, touch } from '../../emulator/dataset';
import type { EndpointName, Fault } from '../../emulator/faults';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type ClientOptions, FILES_ENDPOINT, SESSIONS_ENDPOINT, type TransientReason } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import type { ReportSummary } from '../../lib/report/summary';
import { httpDateIn, onBoth, rateLimitedDelays, script } from './fault-scripts';
import {
  csvBody,
  csvTable,
  expectExactly,
  MATRIX_API_KEY,
  type RunOutcome,
  removeRunFolders,
  resetFaults,
  runToFolder,
  sessionsOf,
  truthNow,
} from './report-fixture';
import { startWireProxy, type WireFault, type WireProxy } from './wire-proxy';

const CSV_NAMES = ['sessions.csv', 'files.csv', 'failed_files.csv'] as const;
/** What a hung request costs; a real answer that slow (a loaded CI machine) is retried, harmlessly. */
const HANG_TIMEOUT_MS = 500;
let emulator: RunningEmulator;
let proxy: WireProxy;
let runs = 0;
/** CSV bytes of a run without faults, by workspace and file name. */
const clean = new Map<string, Map<string, string>>();

beforeAll(async () => {
  // 10 sessions: one of 250 files (3 pages), one of 101 (2 pages), one of 100, one empty...
  emulator = await startEmulator({ port: 0, seed: 21, sessions: 10, maxFiles: 250, apiKey: MATRIX_API_KEY });
  const enums = generateDataset({ seed: 22, sessions: 8, maxFiles: 150, unknownEnums: true });
  emulator.dataset.workspaces.set('enums', enums.workspaces.get('demo')!);
  // Enough requests (about 70) for the random mix to hit every kind of fault several times.
  const wide = generateDataset({ seed: 23, sessions: 30, maxFiles: 300 });
  emulator.dataset.workspaces.set('wide', wide.workspaces.get('demo')!);
  touch(emulator.dataset);
  proxy = await startWireProxy(emulator.url);
  for (const workspace of ['demo', 'enums', 'wide']) {
    const run = await runToFolder(emulator, workspace);
    await expectExactly(run, truthNow(emulator, workspace), sessionsOf(emulator, workspace).length);
    const bytes = new Map<string, string>();
    for (const name of CSV_NAMES) bytes.set(name, (await run.read(name))!);
    clean.set(workspace, bytes);
  }
});
afterEach(() => resetFaults(emulator));
afterAll(async () => {
  const { requests, faultsInjected } = emulator.stats;
  console.log(
    `fault matrix: ${runs} runs, ${requests} upstream requests, ${faultsInjected + proxy.served} faults injected`,
  );
  await proxy?.close();
  await emulator?.close();
  await removeRunFolders();
});

/** One row of the matrix. */
interface FaultCase {
  name: string;
  workspace?: string;
  /** Turns the fault on (the knobs are reset after each case). */
  arm(emulator: RunningEmulator): void;
  /** Faults the wire proxy injects (the run then goes through it). */
  wire?: WireFault[];
  /** Faults the emulator and the proxy must have injected (scripted cases: exactly the script). */
  injected: number | 'some';
  /** Each of these retry reasons must have been seen at least once. */
  retried: TransientReason[];
  client?: Partial<ClientOptions>;
  /** Further assertions on the run. */
  check?(run: RunOutcome): void;
}

const MATRIX: FaultCase[] = [
  {
    name: '429 with Retry-After in seconds: waits as told, then succeeds',
    arm: script({ kind: 'rate-limit', retryAfter: '1', endpoint: 'files' }),
    injected: 1,
    retried: ['rate-limited'],
    check: (run) => {
      expect(rateLimitedDelays(run)).toEqual([1000]);
      expect(run.durationMs).toBeGreaterThanOrEqual(1000);
    },
  },
  {
    name: '429 with Retry-After as an HTTP date: waits until then, then succeeds',
    // HTTP dates have whole seconds: this one is 1.5-2.5 s ahead when it is sent.
    arm: (emu) => script({ kind: 'rate-limit', retryAfter: httpDateIn(2500), endpoint: 'sessions' })(emu),
    injected: 1,
    retried: ['rate-limited'],
    check: (run) => {
      const [delay] = rateLimitedDelays(run);
      // At least a second even if the machine is slow to answer; never more than the date says.
      expect(delay).toBeGreaterThanOrEqual(1000);
      expect(delay).toBeLessThanOrEqual(2500);
    },
  },
  {
    name: '5xx with proxy HTML bodies (500, 502, 503, 504) on both endpoints',
    arm: script(
      ...[500, 502, 503, 504].flatMap((status) => onBoth({ kind: 'server-error', status, html: true })),
    ),
    injected: 8,
    retried: ['server-error'],
  },
  {
    name: 'connection reset on both endpoints',
    arm: script(...onBoth({ kind: 'reset' }), { kind: 'reset', endpoint: 'files' }),
    injected: 3,
    retried: ['network'],
  },
  {
    name: 'a hung request times out and is retried',
    arm: script(...onBoth({ kind: 'hang' })),
    injected: 2,
    retried: ['timeout'],
    client: { timeoutMs: HANG_TIMEOUT_MS },
    check: (run) => expect(run.durationMs).toBeGreaterThanOrEqual(2 * HANG_TIMEOUT_MS),
  },
  {
    name: 'a 200 whose body stops halfway and the connection drops (Content-Length unmet)',
    arm: () => {},
    wire: ['cut-body', 'cut-body'],
    injected: 2,
    retried: ['network'],
  },
  {
    name: 'a 200 whose body stalls after the headers (times out, retried)',
    arm: () => {},
    wire: ['stall-body'],
    injected: 1,
    retried: ['timeout'],
    client: { timeoutMs: HANG_TIMEOUT_MS },
  },
  {
    name: 'truncated JSON (a 200 cut in half) on both endpoints',
    arm: script(...onBoth({ kind: 'truncate' }), { kind: 'truncate', endpoint: 'files' }),
    injected: 3,
    retried: ['unparseable-body'],
  },
  {
    name: 'invalid JSON in a 200 on both endpoints',
    arm: script(...onBoth({ kind: 'invalid-json' })),
    injected: 2,
    retried: ['unparseable-body'],
  },
  {
    name: 'extra fields in every entry and envelope are ignored (no new columns)',
    arm: (emu) => {
      emu.faults.extraFields = true;
    },
    injected: 0,
    retried: [],
  },
  {
    name: 'unknown enum values are counted under their own names',
    workspace: 'enums',
    arm: () => {},
    injected: 0,
    retried: [],
    check: (run) => {
      const s = run.summary!;
      expect(s.files.by_ingestion_status.QUEUED).toBeGreaterThan(0);
      expect(s.files.failed_by_reason.VIRUS_DETECTED).toBeGreaterThan(0);
      expect(s.sessions.by_status.ARCHIVED).toBeGreaterThan(0);
    },
  },
  {
    name: 'a random mix of every fault on ~16% of requests',
    workspace: 'wide',
    arm: (emu) => {
      const kinds: Fault[] = [
        { kind: 'rate-limit', retryAfter: '0' },
        { kind: 'rate-limit', retryAfter: 'Thu, 01 Jan 1970 00:00:00 GMT' },
        { kind: 'server-error', status: 502, html: true },
        { kind: 'server-error', status: 500 },
        { kind: 'reset' },
        { kind: 'hang' },
        { kind: 'truncate' },
        { kind: 'invalid-json' },
      ];
      emu.faults.random = kinds.map((fault) => ({ fault, probability: 0.02 }));
    },
    // Eight faults in a row for one request is 0.16^8: never, in practice.
    client: { maxAttempts: 8, timeoutMs: HANG_TIMEOUT_MS },
    injected: 'some',
    retried: [],
    check: (run) => expect(run.summary!.api_retries).toBeGreaterThan(0),
  },
];

describe('transient faults leave the report exact', () => {
  it.each(MATRIX)('$name', async (fault) => {
    const workspace = fault.workspace ?? 'demo';
    const truth = truthNow(emulator, workspace);
    const faultsBefore = emulator.stats.faultsInjected + proxy.served;
    const requestsBefore = emulator.stats.requests;
    fault.arm(emulator);
    proxy.script.push(...(fault.wire ?? []));
    const client = { ...fault.client, ...(fault.wire ? { baseUrl: proxy.url } : {}) };
    const run = await runToFolder(emulator, workspace, { client });
    runs++;

    await expectExactly(run, truth, sessionsOf(emulator, workspace).length);
    for (const name of CSV_NAMES) expect(await run.read(name), name).toBe(clean.get(workspace)!.get(name));
    expect(csvTable(await run.read('files.csv'))[0]).toHaveLength(5);
    expect(run.summary!.warnings).toEqual([]);

    const injected = emulator.stats.faultsInjected + proxy.served - faultsBefore;
    if (fault.injected === 'some') expect(injected).toBeGreaterThanOrEqual(5);
    else expect(injected).toBe(fault.injected);
    expect([...emulator.faults.script, ...proxy.script], 'every scripted fault was served').toEqual([]);
    for (const reason of fault.retried) {
      expect(run.retries.map((r) => r.error.reason)).toContain(reason);
    }
    // Every attempt is counted, retried ones included; every injected fault cost one retry.
    expect(run.summary!.api_requests).toBe(emulator.stats.requests - requestsBefore);
    expect(run.summary!.api_retries).toBeGreaterThanOrEqual(injected);
    fault.check?.(run);
  });
});

/**
 * Required fields of each endpoint's entries (what the schemas refuse to do without): the
 * spec's, plus `session_id`, without which a session's files cannot be asked for.
 */
const REQUIRED_FIELDS: { endpoint: EndpointName; template: string; field: string }[] = [
  ...['session_id', 'created_at', 'expires_at', 'created_by'].map((field) => ({
    endpoint: 'sessions' as const,
    template: SESSIONS_ENDPOINT,
    field,
  })),
  ...['name', 'ingestion_status'].map((field) => ({
    endpoint: 'files' as const,
    template: FILES_ENDPOINT,
    field,
  })),
];

describe('schema drift fails the run, naming the field and the endpoint', () => {
  it.each(REQUIRED_FIELDS)('$field missing from $template', async ({ endpoint, template, field }) => {
    emulator.faults.dropField = { endpoint, field };
    const requestsBefore = emulator.stats.requests;
    const run = await runToFolder(emulator, 'demo');
    runs++;

    expect(run.error).toBeInstanceOf(ReportFailedError);
    const failure = (run.error as ReportFailedError).failure;
    expect(failure.code).toBe('INVALID_RESPONSE');
    expect(failure.message).toContain(template);
    expect(failure.message).toMatch(new RegExp(`data\\[\\d+\\]\\.${field}\\b`));
    // Drift is not transient: failing fast, not after retries.
    expect(run.retries).toEqual([]);
    // At most the sessions page and each session's first files page, all sent before the failure.
    expect(emulator.stats.requests - requestsBefore).toBeLessThanOrEqual(
      1 + sessionsOf(emulator, 'demo').length,
    );

    expect(await run.files(), 'no CSV is left behind').toEqual(['summary.json']);
    const summary = JSON.parse((await run.read('summary.json'))!) as ReportSummary;
    expect(summary.complete).toBe(false);
    expect(summary.error).toEqual(failure);
  });
});

describe('fields the spec leaves optional', () => {
  it('reports files without file_ingestion_id, with that cell empty and every count exact', async () => {
    emulator.faults.dropField = { endpoint: 'files', field: 'file_ingestion_id' };
    const truth = truthNow(emulator, 'demo');
    const run = await runToFolder(emulator, 'demo');
    runs++;
    expect(run.error).toBeUndefined();
    const files = csvBody(await run.read('files.csv'));
    expect(files).toEqual(truth.fileRows.map((row) => [row[0]!, '', ...row.slice(2)]));
    expect(run.summary!.files.total).toBe(truth.filesTotal);
  });
});
