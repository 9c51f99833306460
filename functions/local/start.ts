/**
 * `npm start`: the HTTP API on http://127.0.0.1:PORT (default 3000) over the embedded emulator
 * and an embedded S3 (data in .data/s3), with one report already run. Ctrl-C stops everything.
 * With DEEPSET_API_KEY set it talks to the real API instead (DEEPSET_API_URL, DEEPSET_WORKSPACES).
 * Sign-in is off unless `--auth oidc` (a local OpenID provider with demo users) or HTTP_AUTH=oidc
 * with the OIDC_* variables of a real issuer.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import '../shared/aws-sdk-node-warning';
import { parseEnv } from '../shared/config';
import { devLogger } from './dev-logger';
import { type LocalServer, startLocalServer } from './local-server';
import { startBanner } from './start-banner';

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
});

/** `--auth oidc` starts the local OpenID provider; `--auth none` (the default) leaves sign-in off. */
function authFlag(): 'oidc' | 'none' | undefined {
  const { values } = parseArgs({ options: { auth: { type: 'string' } }, strict: true });
  if (values.auth === undefined || values.auth === 'oidc' || values.auth === 'none') return values.auth;
  throw new Error(`invalid --auth: "${values.auth}": use oidc or none`);
}

async function main(): Promise<void> {
  const auth = authFlag();
  const env = parseEnv(Env, process.env);
  const dataDir = fileURLToPath(new URL('../../.data', import.meta.url));
  process.stdout.write('starting: API, S3, a first report...\n');
  const local = await startLocalServer({
    port: env.PORT,
    host: env.HOST,
    dataDir,
    logger: devLogger(),
    embeddedSignIn: auth === 'oidc',
    env: auth === 'none' ? { ...process.env, HTTP_AUTH: 'none' } : process.env,
  });
  process.stdout.write(startBanner(local, dataDir));
  stopOnSignals(local);
}

function stopOnSignals(local: LocalServer): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping...\n`);
    local.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
