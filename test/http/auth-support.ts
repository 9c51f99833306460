/**
 * The HTTP app with sign-in on (HTTP_AUTH=oidc through the same config loader as Lambda) over the
 * real stack of ./support (emulator, s3rver), with reports already published for `demo` and
 * `acme` (every acme file failed, so it sorts first). The store and the API client count their
 * uses, so a test can prove a refused request touched neither.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import { touch } from '../../emulator/dataset';
import { createHttpApp } from '../../functions/http/app';
import { loadAuthConfig } from '../../functions/http/auth/auth-config';
import type { HttpEnv } from '../../functions/http/env';
import { UploadSessionsClient } from '../../lib/api';
import { publishReport } from '../../lib/report/publish';
import type { ReportStore } from '../../lib/store/store';
import { type HttpFixture, startHttpFixture, TEST_API_KEY } from './support';

export const CLIENT_ID = 'reports-app';
export const CLIENT_SECRET = 'client-secret-LEAKCHECK-5b0e7d1c';
export const COOKIE_SECRET = 'cookie-key-LEAKCHECK-93f1a6c2e8d4b7a0f5';

export interface AuthFixture {
  fx: HttpFixture;
  /** The app over `issuer` (PUBLIC_BASE_URL set when given). */
  appFor(issuer: string, env?: Record<string, string>): OpenAPIHono<HttpEnv>;
  /** Store calls and API clients created since the last reset. */
  uses(): { store: number; clients: number };
  resetUses(): void;
  close(): Promise<void>;
}

/** The environment a deployment would set for `issuer`. */
export function oidcEnv(issuer: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    HTTP_AUTH: 'oidc',
    OIDC_ISSUER: issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_AUTH_SECRET: COOKIE_SECRET,
    ...extra,
  };
}

export async function startAuthFixture(): Promise<AuthFixture> {
  const fx = await startHttpFixture({ emulator: { seed: 7, sessions: 6, maxFiles: 40 } });
  const demo = fx.emulator.dataset.workspaces.get('demo')!;
  const acme = structuredClone(demo.slice(0, 3));
  for (const file of acme.flatMap((session) => session.files)) {
    file.ingestion_status = 'FAILED';
    file.ingestion_status_reason = 'UNKNOWN_ERROR';
  }
  fx.emulator.dataset.workspaces.set('acme', acme);
  touch(fx.emulator.dataset);
  const client = () => new UploadSessionsClient({ baseUrl: fx.emulator.url, apiKey: TEST_API_KEY });
  for (const workspace of ['demo', 'acme']) {
    await publishReport({ client: client(), store: fx.store, workspace, mode: 'full' });
  }
  const counts = { store: 0, clients: 0 };
  const store = new Proxy(fx.store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        counts.store++;
        return value.apply(target, args);
      };
    },
  }) as ReportStore;
  return {
    fx,
    appFor: (issuer, env = {}) =>
      createHttpApp({
        store,
        logger: {
          info: () => {},
          error: (message, fields = {}) => fx.logs.push({ level: 'error', message, fields }),
        },
        auth: loadAuthConfig(oidcEnv(issuer, env)),
        ...(env.PUBLIC_BASE_URL ? { publicBaseUrl: env.PUBLIC_BASE_URL } : {}),
        createClient: async () => {
          counts.clients++;
          return new UploadSessionsClient({ baseUrl: fx.emulator.url, apiKey: TEST_API_KEY });
        },
      }),
    uses: () => ({ ...counts }),
    resetUses: () => {
      counts.store = 0;
      counts.clients = 0;
    },
    close: () => fx.close(),
  };
}
