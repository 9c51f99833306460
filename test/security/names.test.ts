/**
 * Hostile workspace names and run ids, table-driven across every entry point (each one is a door): the
 * library check, the CLI, the HTTP app, the nightly event (and DEEPSET_WORKSPACES), and the
 * library's own publish. Each must be refused before the name reaches an upstream URL or an
 * S3 key: no request reaches the emulator and nothing is written to the store or a folder.
 */

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { InvalidNightlyEventError, workspacesFor } from '../../functions/nightly/nightly-event';
import { readRun } from '../../lib/report/catalog';
import { publishReport } from '../../lib/report/publish';
import { isRunId } from '../../lib/report/run-id';
import { assertWorkspaceName, InvalidWorkspaceError } from '../../lib/report/workspace-name';
import {
  captureStdio,
  httpApp,
  lambdaContext,
  nightlyHandler,
  type Stack,
  stackEnv,
  startStack,
  stubAwsEnv,
} from '../reliability/stack-fixture';
import { capturedCliIo } from '../support/captured-io';

const KEY = 'names-key-8e2f61';

/** Names that must never become part of a URL or a key, by what makes them dangerous. */
const HOSTILE_WORKSPACES: [string, string][] = [
  ['traversal', '../etc'],
  ['traversal inside', 'demo/../../etc'],
  ['a bare ".."', '..'],
  ['a bare "."', '.'],
  ['a slash', 'demo/other'],
  ['a backslash', 'demo\\..\\x'],
  ['an encoded slash', 'demo%2Fother'],
  ['an encoded traversal', '..%2F..%2Fetc'],
  ['a double-encoded slash', 'demo%252Fx'],
  ['129 characters', 'a'.repeat(129)],
  ['10 000 characters', 'a'.repeat(10_000)],
  ['a NUL', 'de\u0000mo'],
  ['a newline', 'de\nmo'],
  ['CR LF (header injection)', 'demo\r\nX-Injected: 1'],
  ['an escape', 'de\u001bmo'],
  ['DEL', 'de\u007fmo'],
  ['a C1 control', 'de\u0085mo'],
  ['a Cyrillic look-alike', 'd\u0435mo'],
  ['a fullwidth look-alike', '\uff44emo'],
  ['a zero-width space', 'de\u200bmo'],
  ['a right-to-left override', 'de\u202emo'],
  ['a combining accent', 'de\u0301mo'],
  ['empty', ''],
  ['a space', 'de mo'],
  ['a query', 'demo?x=1'],
  ['a fragment', 'demo#x'],
  ['a leading hyphen', '-demo'],
];

const HOSTILE_RUN_IDS: [string, string][] = [
  ['traversal', '../../latest.json'],
  ['a slash', '20261123T070630123Z-4f9c2a/x'],
  ['an encoded slash', '20261123T070630123Z%2F4f9c2a'],
  ['a newline', '20261123T070630123Z-4f9c2a\n'],
  ['a look-alike digit', '2026112\u0663T070630123Z-4f9c2a'],
  ['overlong', `20261123T070630123Z-${'a'.repeat(300)}`],
  ['empty', ''],
];

let stack: Stack;
let outDir: string;
beforeAll(async () => {
  stack = await startStack(KEY);
  stubAwsEnv(stack);
  outDir = await mkdtemp(join(tmpdir(), 'names-'));
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.close();
  await rm(outDir, { recursive: true, force: true });
});

/** Runs `act` and asserts it sent nothing upstream and wrote nothing to the bucket. */
async function expectNothingReached<T>(act: () => T | Promise<T>): Promise<T> {
  const requests = stack.emulator.stats.requests;
  const keys = await stack.store.list('');
  const result = await act();
  expect(stack.emulator.stats.requests, 'no upstream request').toBe(requests);
  expect(await stack.store.list(''), 'nothing written').toEqual(keys);
  return result;
}

const NO_RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

describe.each(HOSTILE_WORKSPACES)('workspace name with %s', (_, name) => {
  it('lib: assertWorkspaceName refuses it, quoting it safely and briefly', () => {
    let error: unknown;
    try {
      assertWorkspaceName(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidWorkspaceError);
    const message = (error as Error).message;
    expect(message).not.toMatch(NO_RAW_CONTROL);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(300);
  });

  it('CLI: exit 2 with one line, no request, no folder', async () => {
    const out = join(outDir, 'never');
    const { text, io } = capturedCliIo();
    const code = await expectNothingReached(() =>
      runCli([`--workspace=${name}`, '--out', out, '--quiet'], stackEnv(stack), io),
    );
    expect(code).toBe(2);
    expect(text.err).toMatch(/^error: [^\n]+\n$/);
    expect(text.err).not.toMatch(NO_RAW_CONTROL);
    expect(existsSync(out)).toBe(false);
  });

  it('HTTP: every route answers a JSON 4xx, with no request upstream and nothing stored', async () => {
    const { app } = httpApp(stack);
    const segment = encodeURIComponent(name);
    for (const [method, rest] of [
      ['POST', '/reports'],
      ['GET', '/reports'],
      ['GET', '/reports/latest'],
      ['GET', '/reports/latest/sessions.csv'],
      ['GET', '/dashboard'],
    ] as const) {
      const response = await expectNothingReached(() =>
        app.request(`/workspaces/${segment}${rest}`, { method }),
      );
      expect([400, 404], `${method} ${rest}`).toContain(response.status);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.message).not.toMatch(NO_RAW_CONTROL);
    }
  });

  it('nightly: the event and DEEPSET_WORKSPACES are refused before any report starts', async () => {
    expect(() => workspacesFor({ workspaces: ['demo', name] }, [])).toThrow(InvalidNightlyEventError);
    expect(() => workspacesFor({}, [name])).toThrow(InvalidNightlyEventError);
    const output = captureStdio();
    try {
      const error = await expectNothingReached(() =>
        nightlyHandler(stackEnv(stack))({ workspaces: ['demo', name] }, lambdaContext()).catch(
          (e: unknown) => e,
        ),
      );
      expect(error).toBeInstanceOf(InvalidNightlyEventError);
    } finally {
      output.restore();
    }
  });
});

describe.each(HOSTILE_RUN_IDS)('run id with %s', (_, runId) => {
  it('is not a run id', () => {
    expect(isRunId(runId)).toBe(false);
  });

  it('HTTP: a JSON 4xx on the run and download routes, nothing read or stored', async () => {
    const { app } = httpApp(stack);
    for (const rest of ['', '/sessions.csv']) {
      const response = await expectNothingReached(() =>
        app.request(`/workspaces/demo/reports/${encodeURIComponent(runId)}${rest}`),
      );
      expect([400, 404]).toContain(response.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('lib: readRun finds nothing', async () => {
    expect(await expectNothingReached(() => readRun(stack.store, 'demo', runId))).toBeUndefined();
  });
});

/**
 * The library's publish builds the S3 keys and the upstream URL itself, so it is the last place
 * a bad name can be stopped (defence in depth: the entry points above check first). Reported as
 * one list per table, naming every value that got through.
 */
describe('lib: publishReport, given a hostile value directly', () => {
  /** What `publish` did with `value`: undefined if it refused before any request or write. */
  async function leak(publish: () => Promise<unknown>): Promise<string | undefined> {
    const requests = stack.emulator.stats.requests;
    const keys = new Set(await stack.store.list(''));
    const outcome = await publish().then(
      () => 'completed',
      (error: unknown) => `failed (${(error as Error).name})`,
    );
    const sent = stack.emulator.stats.requests - requests;
    const written = (await stack.store.list('')).filter((key) => !keys.has(key));
    if (sent === 0 && written.length === 0) return undefined;
    return `${outcome} after ${sent} upstream request(s), writing ${JSON.stringify(written.slice(0, 3))}`;
  }

  it('refuses every hostile workspace name before any request or write', async () => {
    const leaks: string[] = [];
    for (const [label, workspace] of HOSTILE_WORKSPACES) {
      const leaked = await leak(() =>
        publishReport({ client: stack.client(), store: stack.store, workspace, mode: 'summary' }),
      );
      if (leaked) leaks.push(`${label}: ${leaked}`);
    }
    expect(leaks).toEqual([]);
  });

  it('refuses every hostile run id before any request or write', async () => {
    const leaks: string[] = [];
    for (const [label, runId] of HOSTILE_RUN_IDS) {
      const leaked = await leak(() =>
        publishReport({
          client: stack.client(),
          store: stack.store,
          workspace: 'demo',
          mode: 'summary',
          runId,
        }),
      );
      if (leaked) leaks.push(`${label}: ${leaked}`);
    }
    expect(leaks).toEqual([]);
  });
});
