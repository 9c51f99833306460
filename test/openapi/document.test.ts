/**
 * The contract of the OpenAPI document beyond the lint: the operationIds (generated clients name
 * their functions after them, so renaming one breaks every caller), who may call in each sign-in
 * mode, a 4xx on every operation, and the terms of use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AUTH_MODES,
  type DocumentServer,
  type OpenApiDoc,
  operationsOf,
  startDocumentServer,
  TEST_ISSUER,
} from './served-document';

/** `METHOD path` → operationId. Add a line for a new operation; never change one that exists. */
const OPERATION_IDS: Record<string, string> = {
  'get /': 'getHome',
  'get /healthz': 'getHealth',
  'get /docs': 'getDocs',
  'get /openapi.json': 'getOpenApi',
  'get /workspaces': 'listWorkspaces',
  'get /workspaces/{workspace}/dashboard': 'getDashboard',
  'get /workspaces/{workspace}/reports': 'listReports',
  'post /workspaces/{workspace}/reports': 'startReport',
  'get /workspaces/{workspace}/reports/{run}': 'getReport',
  'get /workspaces/{workspace}/reports/{run}/{file}': 'downloadReportFile',
};
const SIGN_IN_OPERATION_IDS: Record<string, string> = {
  'get /auth/callback': 'completeSignIn',
  'get /logout': 'signOut',
};
const PUBLIC_WITH_SIGN_IN = ['getHealth', 'getDocs', 'getOpenApi', 'completeSignIn', 'signOut'];

let server: DocumentServer;
const docs = {} as Record<(typeof AUTH_MODES)[number], OpenApiDoc>;
beforeAll(async () => {
  server = await startDocumentServer();
  for (const mode of AUTH_MODES) docs[mode] = await server.documentFor(mode);
});
afterAll(async () => {
  await server?.close();
});

const idsOf = (doc: OpenApiDoc) =>
  Object.fromEntries(operationsOf(doc).map(([method, path, op]) => [`${method} ${path}`, op.operationId]));

describe('operationIds', () => {
  it('are the pinned ones, in every mode (sign-in adds its two routes)', () => {
    expect(idsOf(docs.none)).toEqual(OPERATION_IDS);
    expect(idsOf(docs.iam)).toEqual(OPERATION_IDS);
    expect(idsOf(docs.oidc)).toEqual({ ...OPERATION_IDS, ...SIGN_IN_OPERATION_IDS });
  });
});

describe.each(AUTH_MODES)('with HTTP_AUTH=%s', (mode) => {
  it('every operation has a 2xx or 3xx success and a 4xx', () => {
    for (const [method, path, operation] of operationsOf(docs[mode])) {
      const statuses = Object.keys(operation.responses);
      expect(
        statuses.some((status) => /^[23]\d\d$/.test(status)),
        `${method} ${path}`,
      ).toBe(true);
      expect(
        statuses.some((status) => /^4\d\d$/.test(status)),
        `${method} ${path}`,
      ).toBe(true);
    }
  });

  it('states the terms: proprietary, with a link, and who to contact', () => {
    expect(docs[mode].info.license).toEqual({
      name: expect.stringMatching(/^UNLICENSED/),
      url: expect.any(String),
    });
    expect(docs[mode].info.contact).toEqual({ name: 'Ingestion reports team' });
  });
});

describe('security, as the running mode really is', () => {
  it('sign-in: bearer JWT and OpenID Connect from the issuer; public routes need nothing; the rest can be 401/403', () => {
    const doc = docs.oidc;
    expect(doc.security).toEqual([{ bearer: [] }, { oidc: [] }]);
    expect(doc.components?.securitySchemes).toEqual({
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }),
      oidc: expect.objectContaining({
        type: 'openIdConnect',
        openIdConnectUrl: `${TEST_ISSUER}/.well-known/openid-configuration`,
      }),
    });
    for (const [method, path, operation] of operationsOf(doc)) {
      const where = `${method} ${path}`;
      if (PUBLIC_WITH_SIGN_IN.includes(operation.operationId!)) {
        expect(operation.security, where).toEqual([]);
        expect(operation.responses['401'], where).toBeUndefined();
      } else {
        expect(operation.security, where).toBeUndefined();
        expect(Object.keys(operation.responses), where).toEqual(expect.arrayContaining(['401', '403']));
      }
      expect(operation.responses['429']?.description, where).toMatch(/Function URL/);
    }
  });

  it('iam: AWS SigV4 on every operation, public routes included (the Function URL checks all of them)', () => {
    const doc = docs.iam;
    expect(doc.security).toEqual([{ sigv4: [] }]);
    expect(doc.components?.securitySchemes).toEqual({
      sigv4: expect.objectContaining({
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      }),
    });
    for (const [method, path, operation] of operationsOf(doc)) {
      expect(operation.security, `${method} ${path}`).toBeUndefined();
      expect(operation.responses['403']?.description, `${method} ${path}`).toMatch(/SigV4/);
    }
    expect(doc.info.description).toContain('SigV4');
  });

  it('open (local): no scheme, nothing required anywhere, and the description says the server is open on 127.0.0.1', () => {
    const doc = docs.none;
    expect(doc.security).toBeUndefined();
    expect(doc.components?.securitySchemes).toBeUndefined();
    for (const [method, path, operation] of operationsOf(doc)) {
      expect(operation.security, `${method} ${path}`).toEqual([]);
      expect(operation.responses['401'], `${method} ${path}`).toBeUndefined();
    }
    expect(doc.info.description).toMatch(/HTTP_AUTH=none.*127\.0\.0\.1/s);
  });
});
