/**
 * The production key reader (Powertools Parameters' getSecret, unmocked) behind the nightly
 * handler: two invocations, one GetSecretValue call. Secrets Manager itself exists only on
 * AWS, so a tiny local server speaks its wire protocol (AWS JSON 1.1) and counts the calls;
 * the SDK finds it through AWS_ENDPOINT_URL_SECRETS_MANAGER.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createNightlyHandler } from '../../functions/nightly/nightly-handler';
import { NIGHTLY_SERVICE } from '../../functions/nightly/nightly-metrics';
import { METRICS_NAMESPACE } from '../../functions/shared/powertools';
import {
  API_KEY,
  captureOutput,
  fakeContext,
  type NightlyFixture,
  startNightlyFixture,
  stubAwsEnv,
} from './nightly-fixture';

const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:deepset-api-key-AbCdEf';

let fixture: NightlyFixture;
let secrets: Server;
const calls: { target: string | undefined; secretId: unknown }[] = [];

/** Answers GetSecretValue for SECRET_ARN, as Secrets Manager does; records every call. */
function startSecretsManager(): Promise<Server> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const input = JSON.parse(body) as { SecretId?: unknown };
      calls.push({ target: request.headers['x-amz-target'] as string | undefined, secretId: input.SecretId });
      response.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ ARN: SECRET_ARN, Name: 'deepset-api-key', SecretString: API_KEY }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  fixture = await startNightlyFixture();
  secrets = await startSecretsManager();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  secrets.closeAllConnections();
  await new Promise((resolve) => secrets.close(resolve));
  await fixture.close();
});

it('reads the key from Secrets Manager once across two invocations (Powertools cache)', async () => {
  stubAwsEnv();
  vi.stubEnv(
    'AWS_ENDPOINT_URL_SECRETS_MANAGER',
    `http://127.0.0.1:${(secrets.address() as AddressInfo).port}`,
  );
  const env = { ...fixture.env, DEEPSET_API_KEY: undefined, DEEPSET_API_KEY_SECRET_ARN: SECRET_ARN };
  const output = captureOutput();
  try {
    const logger = new Logger({ serviceName: NIGHTLY_SERVICE });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE });
    const handler = createNightlyHandler({ logger, metrics, env });
    // The emulator only accepts API_KEY: both runs succeeding proves the secret's value was used.
    await expect(handler({ workspaces: ['empty'] }, fakeContext())).resolves.toMatchObject({ succeeded: 1 });
    await expect(handler({ workspaces: ['beta'] }, fakeContext())).resolves.toMatchObject({ succeeded: 1 });
    expect(calls).toEqual([{ target: 'secretsmanager.GetSecretValue', secretId: SECRET_ARN }]);
    expect(output.text()).not.toContain(API_KEY);
  } finally {
    output.restore();
  }
});
