/**
 * The served OpenAPI document passes Redocly CLI's `recommended` lint (with the overrides of
 * redocly.yaml, each explained there) in every sign-in mode: no error, and no warning that is
 * not listed with its reason in ./redocly.ts. Client generators rely on what these rules check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintDocument, MAX_WARNINGS, unexplained } from './redocly';
import { AUTH_MODES, type DocumentServer, startDocumentServer } from './served-document';

let server: DocumentServer;
beforeAll(async () => {
  server = await startDocumentServer();
});
afterAll(async () => {
  await server?.close();
});

describe.each(AUTH_MODES)('Redocly recommended lint of /openapi.json with HTTP_AUTH=%s', (mode) => {
  it('reports no error and no unexplained warning', async () => {
    const problems = await lintDocument(await server.documentFor(mode));
    expect(unexplained(mode, problems)).toEqual([]);
    expect(problems.length).toBeLessThanOrEqual(MAX_WARNINGS);
  });
});

describe('the lint itself', () => {
  it('finds what the document used to lack: security, operationIds, license, a 2xx, the redirects’ 302', async () => {
    const doc = await server.documentFor('oidc');
    delete doc.security;
    delete doc.info.license;
    for (const item of Object.values(doc.paths)) {
      for (const operation of Object.values(item)) {
        delete operation.security;
        delete operation.operationId;
      }
    }
    delete doc.paths['/healthz']!.get!.responses['200'];
    const download = doc.paths['/workspaces/{workspace}/reports/{run}/{file}']!.get!;
    delete download.responses['302'];
    const found = new Set(
      (await lintDocument(doc)).map((problem) => `${problem.severity} ${problem.ruleId}`),
    );
    expect([...found].sort()).toEqual([
      'error rule/redirect-is-success',
      'error security-defined',
      'warn info-license',
      'warn no-unused-components',
      'warn operation-operationId',
      'warn rule/operation-2xx-response',
    ]);
  });
});
