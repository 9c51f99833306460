/**
 * Everything `npm start` runs, as one function the tests can call too: the API (the embedded
 * emulator, or the real one when DEEPSET_API_KEY is set), an embedded S3 (s3rver, data in a
 * folder that survives restarts), a first report, and the HTTP app on a local port.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { LocalOidcProvider } from '../../emulator/oidc/provider';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { UploadSessionsClient } from '../../lib/api';
import { describeFailure } from '../../lib/report/failure';
import { type PublishedRun, publishReport } from '../../lib/report/publish';
import { assertWorkspaceName } from '../../lib/report/workspace-name';
import { S3Store } from '../../lib/store/s3-store';
import { createHttpApp } from '../http/app';
import { type AuthConfig, loadAuthConfig } from '../http/auth/auth-config';
import type { HttpLogger } from '../http/deps';
import { chooseApi } from '../shared/api-choice';
import { loadConfig, loadPublicBaseUrl } from '../shared/config';
import { EMBEDDED_WORKSPACE, type EmbeddedApi, startEmbeddedApi } from '../shared/embedded-api';
import { runLeaseFromEnv } from '../shared/run-lease-env';

/** The S3 key prefix reports go under, as on AWS by default. */
export const LOCAL_REPORT_PREFIX = 'reports/';

/** Where and how to run. */
export interface LocalServerOptions {
  /** Default 3000; 0 = any free port. */
  port?: number;
  /** Default 127.0.0.1: a development server is not for the network. */
  host?: string;
  /** The embedded S3 keeps its objects in `<dataDir>/s3`. */
  dataDir: string;
  env?: NodeJS.ProcessEnv;
  logger: HttpLogger;
  /**
   * `oidc`: start the local OpenID provider (emulator/oidc) and sign in against it, through the
   * same OIDC_* variables as any issuer. Otherwise HTTP_AUTH and OIDC_* of `env` decide (unset: open).
   */
  embeddedSignIn?: boolean;
  /** The demo users' password of the local provider (default: random). */
  demoPassword?: string;
}

/** A running local stack. */
export interface LocalServer {
  /** http://host:port of the HTTP API. */
  url: string;
  api: { url: string; embedded: boolean };
  s3: LocalS3;
  storeLocation: string;
  /** The workspace of the first report (undefined with a real API and no DEEPSET_WORKSPACES). */
  workspace: string | undefined;
  /** The first report, or why it failed. */
  firstReport: PublishedRun | { error: string } | undefined;
  /** Who may call: open, IAM (not local), or OIDC against `issuer`. */
  auth: AuthConfig;
  /** The local OpenID provider, when started. */
  oidc: LocalOidcProvider | undefined;
  close(): Promise<void>;
}

/** Starts the API, S3, a first report and the HTTP server; `close` stops all of it. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  refuseOpenNetworkServer(options, env);
  const choice = chooseApi(config, undefined, 'DEEPSET_API_URL');
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
  };
  try {
    const embedded: EmbeddedApi | undefined =
      choice.kind === 'embedded' ? await startEmbeddedApi() : undefined;
    if (embedded) stops.push(() => embedded.close());
    const api = choice.kind === 'remote' ? choice : embedded!;
    const workspace = embedded ? EMBEDDED_WORKSPACE : config.workspaces[0];
    const s3 = await startLocalS3({ directory: join(options.dataDir, 's3') });
    stops.push(() => s3.close());
    const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: LOCAL_REPORT_PREFIX });
    const createClient = async () =>
      new UploadSessionsClient({ baseUrl: api.url, apiKey: api.apiKey, concurrency: config.concurrency });
    const firstReport = workspace
      ? await firstRun(createClient, store, assertWorkspaceName(workspace), config.stuckAfterHours)
      : undefined;
    // The app is made once the port is known: the local provider registers its callback URL.
    let app: ReturnType<typeof createHttpApp> | undefined;
    const server = await listen(
      (request, bindings) => (app ? app.fetch(request, bindings) : new Response('starting', { status: 503 })),
      options.port ?? 3000,
      options.host ?? '127.0.0.1',
    );
    stops.push(() => shutDown(server));
    const { address, port } = server.address() as AddressInfo;
    const host = address.includes(':') ? `[${address}]` : address;
    const url = `http://${host}:${port}`;
    const oidc = options.embeddedSignIn
      ? await startLocalOidcProviderLazily({
          redirectUri: `${url}/auth/callback`,
          password: options.demoPassword,
        })
      : undefined;
    if (oidc) stops.push(() => oidc.close());
    const appEnv = { ...env, ...oidc?.env };
    const auth = loadAuthConfig(appEnv);
    const publicBaseUrl = loadPublicBaseUrl(appEnv);
    app = createHttpApp({
      store,
      createClient,
      logger: options.logger,
      auth,
      ...(publicBaseUrl ? { publicBaseUrl } : {}),
      runLease: { ...runLeaseFromEnv(env), settings: { stuckAfterHours: config.stuckAfterHours } },
    });
    return {
      url: publicBaseUrl ?? url,
      auth,
      oidc,
      api: { url: api.url, embedded: embedded !== undefined },
      s3,
      storeLocation: store.location,
      workspace,
      firstReport,
      close: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Sign-in off is for this machine only; IAM has no meaning without a Function URL in front. */
function refuseOpenNetworkServer(options: LocalServerOptions, env: NodeJS.ProcessEnv): void {
  if (options.embeddedSignIn) return;
  const mode = loadAuthConfig(env).mode;
  if (mode === 'iam')
    throw new Error('invalid HTTP_AUTH: "iam" needs a Lambda Function URL in front; locally use oidc');
  const host = options.host ?? '127.0.0.1';
  if (mode === 'none' && !['127.0.0.1', 'localhost', '::1'].includes(host)) {
    throw new Error(
      `invalid HOST: ${host} with sign-in off would open the API to the network (use --auth oidc)`,
    );
  }
}

/** The first report; a failure is reported, not fatal: the server is still useful without it. */
async function firstRun(
  createClient: () => Promise<UploadSessionsClient>,
  store: S3Store,
  workspace: string,
  stuckAfterHours: number,
): Promise<PublishedRun | { error: string }> {
  try {
    const client = await createClient();
    return await publishReport({ client, store, workspace, mode: 'full', stuckAfterHours });
  } catch (error) {
    return { error: describeFailure(error).message };
  }
}

type Fetch = (request: Request, bindings: unknown) => Response | Promise<Response>;

function listen(fetch: Fetch, port: number, hostname: string) {
  return new Promise<Server>((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server)) as Server;
    server.once('error', (error: NodeJS.ErrnoException) => {
      const hint = error.code === 'EADDRINUSE' ? ' (in use: set PORT to another port)' : '';
      reject(new Error(`could not listen on ${hostname}:${port}${hint}`, { cause: error }));
    });
  });
}

function shutDown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** oidc-provider is loaded only for `--auth oidc`: on import it warns about Node 20, which no open server needs to say. */
async function startLocalOidcProviderLazily(
  options: Parameters<typeof import('../../emulator/oidc/provider').startLocalOidcProvider>[0],
): Promise<LocalOidcProvider> {
  const { startLocalOidcProvider } = await import('../../emulator/oidc/provider');
  return startLocalOidcProvider(options);
}
