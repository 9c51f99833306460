/**
 * What sign-in produces, for the never-leaks grep: `npm start -- --auth oidc`'s stack (the local
 * OpenID provider, the app with its default JSON logger) driven through a real code flow, a run,
 * reads, downloads, a forged callback, a bad bearer token, sign-out, and an issuer that is down.
 * Returns every body, header and log line, the S3 folder, and the two secrets to look for.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { expect } from 'vitest';
import { createHttpApp } from '../../functions/http/app';
import { loadAuthConfig } from '../../functions/http/auth/auth-config';
import { consoleLogger } from '../../functions/http/deps';
import { startLocalServer } from '../../functions/local/local-server';
import { CookieJar, signInWithFetch, step } from '../http/code-flow';
import { captureStdio, type Stack, unreachableApiUrl } from '../reliability/stack-fixture';

export interface SignInEvidence {
  secrets: { clientSecret: string; cookieSecret: string };
  texts: { where: string; text: string }[];
  s3Dir: string;
  close(): Promise<void>;
}

const PASSWORD = 'leak-check-password';

/** Runs sign-in end to end over `stack`'s API (with its key) and collects what it left. */
export async function signInEvidence(stack: Stack, apiKey: string): Promise<SignInEvidence> {
  const texts: { where: string; text: string }[] = [];
  const note = async (where: string, response: Response) =>
    texts.push({ where, text: `${response.status} ${inspect(response.headers)} ${await response.text()}` });
  const dataDir = await mkdtemp(join(tmpdir(), 'leak-sign-in-'));
  const output = captureStdio();
  const local = await startLocalServer({
    port: 0,
    dataDir,
    env: { DEEPSET_API_URL: stack.emulator.url, DEEPSET_API_KEY: apiKey, DEEPSET_WORKSPACES: 'acme' },
    logger: consoleLogger,
    embeddedSignIn: true,
    demoPassword: PASSWORD,
  });
  const secrets = { clientSecret: local.oidc!.clientSecret, cookieSecret: local.oidc!.env.OIDC_AUTH_SECRET! };
  try {
    const jar = new CookieJar();
    const flow = await signInWithFetch(jar, `${local.url}/workspaces/acme/dashboard`, 'operator', PASSWORD);
    for (const [index, response] of flow.entries()) await note(`sign-in step ${index}`, response);
    expect(flow.at(-1)!.status, 'signed in: the dashboard').toBe(200);
    const run = await step(jar, `${local.url}/workspaces/acme/reports`, {
      method: 'POST',
      headers: { Origin: local.url },
    });
    expect(run.status).toBe(202);
    const self = ((await run.clone().json()) as { links: { self: string } }).links.self;
    await note('run with a session', run);
    for (let polls = 0; ; polls++) {
      const status = await step(jar, self);
      const body = (await status.clone().json()) as { status: string };
      if (body.status !== 'running' || polls > 1500) {
        await note('the run, followed to its end', status);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const path of [
      '/',
      '/workspaces',
      '/workspaces/acme/reports/latest',
      '/workspaces/acme/reports/latest/sessions.csv',
    ]) {
      await note(`GET ${path} with a session`, await step(jar, `${local.url}${path}`));
    }
    await note('forged callback', await step(jar, `${local.url}/auth/callback?code=forged&state=forged`));
    await note(
      'bad bearer',
      await fetch(`${local.url}/workspaces`, { headers: { Authorization: 'Bearer x.y.z' } }),
    );
    await note('sign-out', await step(jar, `${local.url}/logout`));
    await note('after sign-out', await step(jar, `${local.url}/workspaces`));
    const down = createHttpApp({
      store: stack.store,
      createClient: async () => {
        throw new Error('not called');
      },
      auth: loadAuthConfig({ ...local.oidc!.env, OIDC_ISSUER: await unreachableApiUrl() }),
    });
    const unavailable = await down.request('/workspaces', { headers: { Accept: 'text/html' } });
    expect(unavailable.status).toBe(503);
    await note('issuer down', unavailable);
  } finally {
    output.restore();
    texts.push({ where: 'sign-in: every log line (stdout and stderr)', text: output.text() });
    await local.close();
  }
  expect(texts.at(-1)!.text).toMatch(/"level":"ERROR"/);
  return {
    secrets,
    texts,
    s3Dir: join(dataDir, 's3'),
    close: () => rm(dataDir, { recursive: true, force: true }),
  };
}
