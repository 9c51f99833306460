/**
 * The API key never leaves the process: it grants the whole workspace. One distinctive key drives a CLI report (to a
 * folder and to S3), HTTP runs (with the app's default JSON logger on stdout/stderr), a nightly
 * run, and failing runs of each (the key rejected upstream, the API unreachable); then every
 * produced file (the CLI folder, every object and metadata file s3rver keeps on disk), every
 * captured log line, output line, HTTP body and header, and every error (message, stack, cause,
 * and everything util.inspect shows) is searched for the key and for its distinctive tail. The
 * CDK template is synthesized with DEEPSET_API_KEY set to the key and searched too. Sign-in's two
 * secrets (the OIDC client secret and the session cookie key) are searched for the same way, in
 * what a signed-in session, a forged callback, sign-out and an unreachable issuer leave behind.
 */

import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { runCli } from '../../functions/cli/run-cli';
import { createHttpApp } from '../../functions/http/app';
import { type ClientOptions, UploadSessionsClient } from '../../lib/api';
import { publishReport } from '../../lib/report/publish';
import { runToEnd } from '../http/run-to-end';
import { synth } from '../infra/synth';
import { FAST_CLIENT } from '../reliability/report-fixture';
import {
  captureStdio,
  cliRun,
  lambdaContext,
  nightlyHandler,
  type Stack,
  stackEnv,
  startStack,
  stubAwsEnv,
  unreachableApiUrl,
} from '../reliability/stack-fixture';
import { capturedCliIo } from '../support/captured-io';
import { type SignInEvidence, signInEvidence } from './sign-in-evidence';

const KEY_TAIL = '7c41e9d2b8a6f035';
const KEY = `sk-LEAKCHECK-${KEY_TAIL}`;
/** Connection refused: nothing listens there. */
let UNREACHABLE: string;

let stack: Stack;
let rejecting: RunningEmulator;
let cliDir: string;
let signIn: SignInEvidence | undefined;
/** Everything searched, labelled with where it came from. */
const evidence: { where: string; text: string }[] = [];
const note = (where: string, text: unknown) =>
  evidence.push({ where, text: typeof text === 'string' ? text : inspect(text, { depth: 12 }) });

beforeAll(async () => {
  stack = await startStack(KEY, { workspaces: ['acme'] });
  // Accepts another key only: ours is rejected with 403.
  rejecting = await startEmulator({ port: 0, sessions: 2, maxFiles: 10, apiKey: 'the-only-accepted-key' });
  cliDir = await mkdtemp(join(tmpdir(), 'leak-cli-'));
  UNREACHABLE = await unreachableApiUrl();
  stubAwsEnv(stack);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([stack?.close(), rejecting?.close(), signIn?.close()]);
  await rm(cliDir, { recursive: true, force: true });
});

/** An error as deep as a log or a crash report could show it. */
function noteError(where: string, error: unknown): void {
  note(`${where} (inspect)`, error);
  for (let e = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    note(`${where} (message, stack #${depth})`, `${e.message}\n${e.stack}`);
  }
}

async function cliReports(): Promise<void> {
  const io = capturedCliIo;
  const folder = io();
  const code = await runCli(['-w', 'demo', '-o', join(cliDir, 'ok'), '--quiet'], stackEnv(stack), folder.io);
  expect(code, 'the CLI report succeeded, so the key reached the API').toBe(0);
  note('CLI to a folder: output', `${folder.text.out}${folder.text.err}`);
  const s3 = await cliRun(stack, 'demo');
  expect(s3.code).toBe(0);
  note('CLI to S3: output', `${s3.out}${s3.err}`);
  const failing = [
    ['CLI, key rejected', rejecting.url],
    ['CLI, API unreachable', UNREACHABLE],
  ] as const;
  await Promise.all(
    failing.map(async ([where, url]) => {
      const run = io();
      const env = stackEnv(stack, { DEEPSET_API_URL: url });
      expect(await runCli(['-w', 'demo', '-o', join(cliDir, 'failed'), '--quiet'], env, run.io)).toBe(1);
      note(`${where}: output`, `${run.text.out}${run.text.err}`);
    }),
  );
}

/** The HTTP app with its default logger (JSON lines on stdout/stderr, errors with stack and cause). */
async function httpRuns(): Promise<void> {
  const appWith = (client: Partial<ClientOptions>) =>
    createHttpApp({
      store: stack.store,
      createClient: async () =>
        new UploadSessionsClient({ ...FAST_CLIENT, baseUrl: stack.emulator.url, apiKey: KEY, ...client }),
    });
  const output = captureStdio();
  try {
    const app = appWith({});
    const run = await runToEnd(app, '/workspaces/acme/reports');
    expect(run.status).toBe('complete');
    note('HTTP run: status body', JSON.stringify(run));
    expectShortLivedLinks(run);
    for (const path of ['', '/latest', '/latest/sessions.csv', '/latest/summary.json']) {
      const response = await app.request(`/workspaces/acme/reports${path}`);
      note(
        `HTTP GET ${path}: status, headers and body`,
        `${response.status} ${inspect(response.headers)} ${await response.text()}`,
      );
      const location = response.headers.get('location');
      if (location)
        expect(Number(new URL(location).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
    }
    note('HTTP dashboard', await (await app.request('/workspaces/acme/dashboard')).text());
    for (const [where, baseUrl] of [
      ['HTTP, key rejected', rejecting.url],
      ['HTTP, API unreachable', UNREACHABLE],
    ] as const) {
      const failed = await runToEnd(appWith({ baseUrl, maxAttempts: 2 }), '/workspaces/acme/reports');
      expect(failed.status).toBe('failed');
      note(`${where}: status body`, JSON.stringify(failed));
    }
  } finally {
    output.restore();
    note('HTTP app: every log line (stdout and stderr)', output.text());
  }
}

function expectShortLivedLinks(body: { links: { files: Record<string, { presigned: string }> } }): void {
  const links = Object.values(body.links.files).map((file) => new URL(file.presigned));
  expect(links.length).toBeGreaterThanOrEqual(4);
  for (const link of links) {
    const expires = Number(link.searchParams.get('X-Amz-Expires'));
    expect(expires).toBeGreaterThan(0);
    expect(expires, 'presigned URLs live 15 minutes at most').toBeLessThanOrEqual(900);
  }
}

async function nightlyRuns(): Promise<void> {
  const output = captureStdio();
  try {
    const ok = await nightlyHandler(stackEnv(stack))({ workspaces: ['demo', 'acme'] }, lambdaContext());
    expect(ok.succeeded).toBe(2);
    note('nightly: result', ok);
    // One after the other: a nightly run skips a workspace whose run is in progress.
    for (const [where, url] of [
      ['nightly, key rejected', rejecting.url],
      ['nightly, API unreachable', UNREACHABLE],
    ]) {
      const handler = nightlyHandler(stackEnv(stack, { DEEPSET_API_URL: url! }));
      const error = await handler({ workspaces: ['demo'] }, lambdaContext()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      noteError(`${where}: thrown`, error);
    }
  } finally {
    output.restore();
    note('nightly: every log line and metric (stdout and stderr)', output.text());
  }
}

async function libraryFailures(): Promise<void> {
  for (const [where, baseUrl] of [
    ['library, key rejected', rejecting.url],
    ['library, API unreachable', UNREACHABLE],
  ] as const) {
    const client = new UploadSessionsClient({ ...FAST_CLIENT, maxAttempts: 2, baseUrl, apiKey: KEY });
    const error = await publishReport({ client, store: stack.store, workspace: 'demo', mode: 'full' }).catch(
      (e: unknown) => e,
    );
    noteError(`${where}: thrown`, error);
    note(
      `${where}: the client`,
      `${inspect(client, { depth: 6 })} ${JSON.stringify(client)} ${String(client)}`,
    );
  }
}

/** Every file under `dir`, by relative path. */
async function filesUnder(dir: string): Promise<{ path: string; text: string }[]> {
  const paths = (await readdir(dir, { recursive: true })) as string[];
  const files: { path: string; text: string }[] = [];
  for (const path of paths) {
    if ((await stat(join(dir, path))).isFile())
      files.push({ path, text: await readFile(join(dir, path), 'latin1') });
  }
  return files;
}

it('never appears in logs, errors, outputs, summaries, CSVs, stored objects or the template', async () => {
  // The CLI into S3 and the nightly run take the same workspace lease: one after the other.
  await Promise.all([cliReports().then(nightlyRuns), libraryFailures()]);
  await httpRuns();
  signIn = await signInEvidence(stack, KEY);
  evidence.push(...signIn.texts);
  for (const file of await filesUnder(signIn.s3Dir)) note(`sign-in s3rver on disk: ${file.path}`, file.text);

  const s3Files = await filesUnder(stack.s3Dir);
  const cliFiles = await filesUnder(cliDir);
  for (const file of s3Files) note(`s3rver on disk: ${file.path}`, file.text);
  for (const file of cliFiles) note(`CLI folder: ${file.path}`, file.text);
  expect(s3Files.filter((f) => f.path.endsWith('.csv') || f.path.includes('.csv')).length).toBeGreaterThan(6);
  expect(cliFiles.map((f) => f.path.split('/').at(-1)).sort()).toEqual(
    expect.arrayContaining(['failed_files.csv', 'files.csv', 'sessions.csv', 'summary.json']),
  );

  vi.stubEnv('DEEPSET_API_KEY', KEY);
  vi.stubEnv('OIDC_CLIENT_SECRET', signIn.secrets.clientSecret);
  vi.stubEnv('OIDC_AUTH_SECRET', signIn.secrets.cookieSecret);
  const { app, template } = synth();
  note('CDK template', JSON.stringify(template.toJSON()));
  for (const file of await filesUnder(app.synth().directory)) note(`cloud assembly: ${file.path}`, file.text);

  const secrets = [KEY, KEY_TAIL, signIn.secrets.clientSecret, signIn.secrets.cookieSecret];
  const leaks = evidence
    .filter(({ text }) => secrets.some((secret) => text.includes(secret)))
    .map((e) => e.where);
  expect(leaks).toEqual([]);
  // The search covered real output, not empty strings.
  expect(evidence.length).toBeGreaterThan(40);
  const logs = evidence.find((e) => e.where.startsWith('HTTP app: every log line'))!.text;
  expect(logs).toMatch(/"level":"ERROR"/);
  expect(evidence.find((e) => e.where.startsWith('nightly: every log line'))!.text).toContain(
    'workspace report failed',
  );
});
