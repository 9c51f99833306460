/**
 * The proof that clients can be generated from the document: on the server `npm start` runs
 * (the app over the embedded emulator and s3rver, sign-in off), `/openapi.json` passes the lint,
 * openapi-typescript turns it into types, tsc accepts a small openapi-fetch client against them,
 * and that client lists runs, starts one and reads its status. The committed types
 * (client/api-types.ts) must be what the served document generates now: after a change to the
 * API, `npx vitest run test/openapi/typed-client.test.ts -u` rewrites them.
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalServer, startLocalServer } from '../../functions/local/local-server';
import { listRuns, reportsClient, runStatus, startRun } from './client/reports-client';
import { generateTypes, ROOT, typeCheck } from './generate-types';
import { lintDocument, MAX_WARNINGS, unexplained } from './redocly';
import { startDocumentServer } from './served-document';

let local: LocalServer;
let dataDir: string;
const workDirs: string[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'typed-client-'));
  local = await startLocalServer({ port: 0, dataDir, env: {}, logger: { info: () => {}, error: () => {} } });
});
afterAll(async () => {
  await local?.close();
  await Promise.all([dataDir, ...workDirs].map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A scratch folder inside the repo (`.tmp/` is ignored by git), so the client resolves openapi-fetch. */
async function workDir(): Promise<string> {
  await mkdir(join(ROOT, '.tmp'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, '.tmp', 'typed-client-'));
  workDirs.push(dir);
  return dir;
}

async function servedDocument(): Promise<unknown> {
  const response = await fetch(`${local.url}/openapi.json`);
  expect(response.status).toBe(200);
  return response.json();
}

describe('a client generated from the document npm start serves', () => {
  it('the document passes the lint', async () => {
    const problems = await lintDocument(await servedDocument());
    expect(unexplained('none', problems)).toEqual([]);
    expect(problems.length).toBeLessThanOrEqual(MAX_WARNINGS);
  });

  it('generates the committed types, and tsc accepts the client against them', async () => {
    const dir = await workDir();
    const types = await generateTypes(await servedDocument(), dir);
    await expect(types).toMatchFileSnapshot('./client/api-types.ts');
    await copyFile(
      join(ROOT, 'test', 'openapi', 'client', 'reports-client.ts'),
      join(dir, 'reports-client.ts'),
    );
    const checked = await typeCheck(dir);
    expect(checked.output).toBe('');
    expect(checked.ok).toBe(true);
  });

  it('tsc also accepts the client against the types of the signed-in and IAM documents', async () => {
    const documents = await startDocumentServer();
    try {
      for (const mode of ['oidc', 'iam'] as const) {
        const dir = await workDir();
        await generateTypes(await documents.documentFor(mode), dir);
        await copyFile(
          join(ROOT, 'test', 'openapi', 'client', 'reports-client.ts'),
          join(dir, 'reports-client.ts'),
        );
        expect(await typeCheck(dir), mode).toEqual({ ok: true, output: '' });
      }
    } finally {
      await documents.close();
    }
  });

  it('tsc refuses the client when the document no longer has what it uses', async () => {
    const doc = (await servedDocument()) as { paths: Record<string, unknown> };
    delete doc.paths['/workspaces/{workspace}/reports/{run}'];
    const dir = await workDir();
    await generateTypes(doc, dir);
    await copyFile(
      join(ROOT, 'test', 'openapi', 'client', 'reports-client.ts'),
      join(dir, 'reports-client.ts'),
    );
    const checked = await typeCheck(dir);
    expect(checked.ok).toBe(false);
    expect(checked.output).toContain('/workspaces/{workspace}/reports/{run}');
  });

  it('lists runs, starts one and reads its status, against the running server', async () => {
    const client = reportsClient(local.url);
    const before = await listRuns(client, 'demo');
    const first = local.firstReport;
    if (!first || 'error' in first)
      throw new Error(`npm start's first report failed: ${JSON.stringify(first)}`);
    expect(before.map((run) => run.runId)).toContain(first.summary.run_id);

    const started = await startRun(client, 'demo', 'summary');
    expect(started.statusUrl).toBe(`${local.url}/workspaces/demo/reports/${started.runId}`);
    let status = await runStatus(client, 'demo', started.runId);
    for (let polls = 0; status.status === 'running' && polls < 200; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await runStatus(client, 'demo', started.runId);
    }
    expect(status).toMatchObject({ runId: started.runId, status: 'complete' });
    expect(status.sessionsDone).toBeGreaterThan(0);

    const after = await listRuns(client, 'demo');
    expect(after[0]).toMatchObject({ runId: started.runId, complete: true });
    expect(after.length).toBe(before.length + 1);
  });

  it('the open mode’s documented 431 is real: the local server refuses oversized headers itself', async () => {
    const response = await fetch(`${local.url}/healthz`, { headers: { 'X-Padding': 'x'.repeat(20_000) } });
    expect(response.status).toBe(431);
  });
});
