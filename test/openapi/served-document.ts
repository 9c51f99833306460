/**
 * The OpenAPI document as the app serves it in each sign-in mode: the app is built the way
 * `npm start` and the Lambda entry build it (createHttpApp over the config loader), over the real
 * stack of test/http/support (emulator, s3rver), and `/openapi.json` is fetched from it.
 */
import { createHttpApp } from '../../functions/http/app';
import { loadAuthConfig } from '../../functions/http/auth/auth-config';
import { type HttpFixture, startHttpFixture } from '../http/support';

export const AUTH_MODES = ['none', 'iam', 'oidc'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const TEST_ISSUER = 'https://login.example.org/pool-1';

/** The environment a server in `mode` runs with (the issuer is never called to serve the document). */
const ENV: Record<AuthMode, Record<string, string>> = {
  none: { HTTP_AUTH: 'none' },
  iam: { HTTP_AUTH: 'iam', AWS_LAMBDA_FUNCTION_NAME: 'ingestion-reports-http' },
  oidc: {
    HTTP_AUTH: 'oidc',
    OIDC_ISSUER: TEST_ISSUER,
    OIDC_CLIENT_ID: 'reports-app',
    OIDC_CLIENT_SECRET: 'client-secret-not-used-here',
    OIDC_AUTH_SECRET: 'cookie-secret-not-used-here-0123456789abcdef',
  },
};

/** What tests read of a document; the rest stays `unknown`. */
export interface OpenApiDoc {
  openapi: string;
  info: { title: string; description?: string; license?: { name: string; url?: string }; contact?: object };
  security?: Record<string, string[]>[];
  components?: { securitySchemes?: Record<string, Record<string, unknown>> };
  paths: Record<string, Record<string, Operation>>;
}

export interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string }>;
}

export interface DocumentServer {
  documentFor(mode: AuthMode): Promise<OpenApiDoc>;
  close(): Promise<void>;
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const fx: HttpFixture = await startHttpFixture({ emulator: { sessions: 2, maxFiles: 5 } });
  return {
    documentFor: async (mode) => {
      const app = createHttpApp({
        store: fx.store,
        createClient: async () => {
          throw new Error('serving the document calls no API');
        },
        logger: { info: () => {}, error: () => {} },
        auth: loadAuthConfig(ENV[mode]),
      });
      const response = await app.request('http://127.0.0.1:3000/openapi.json');
      if (response.status !== 200)
        throw new Error(`/openapi.json answered ${response.status} in mode ${mode}`);
      return (await response.json()) as OpenApiDoc;
    },
    close: () => fx.close(),
  };
}

/** Every operation as `[method, path, operation]`. */
export function operationsOf(doc: OpenApiDoc): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => [method, path, operation] as [string, string, Operation],
    ),
  );
}
