/**
 * The emulator's Lambda entry (emulator/lambda.ts), driven with Function URL events (payload
 * format 2.0) through hono/aws-lambda, as the end-to-end test's functions reach it: every
 * configured workspace is served, with the same data a local emulator of the same options
 * serves, the bearer key is still required, and a bad configuration fails naming the variable.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { createEmulatorApp } from '../../emulator/app';
import { createFaults } from '../../emulator/faults';
import { datasetOf, parseWorkspaceSpecs } from '../../emulator/lambda-dataset';
import { createStats } from '../../emulator/stats';

const NOW = '2026-01-01T00:00:00.000Z';
const SPECS = 'small:3:20,other:2:10';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<{ statusCode: number; body: string }>;
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('EMULATOR_WORKSPACES', SPECS);
  vi.stubEnv('EMULATOR_NOW', NOW);
  handler = (await import('../../emulator/lambda')).handler as unknown as Handler;
  vi.unstubAllEnvs();
});

/** A Function URL request event for GET `path?query`. */
function urlEvent(path: string, query: string, headers: Record<string, string>): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: query,
    headers: { host: 'abc.lambda-url.eu-central-1.on.aws', ...headers },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abc',
      domainName: 'abc.lambda-url.eu-central-1.on.aws',
      domainPrefix: 'abc',
      http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      requestId: 'r1',
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1_767_225_600_000,
    },
    isBase64Encoded: false,
  };
}

const sessionsPath = (workspace: string) => `/api/v1/workspaces/${workspace}/upload_sessions`;

describe('emulator/lambda.ts', () => {
  it('serves each configured workspace, byte for byte what the app serves for the same data', async () => {
    const reference = createEmulatorApp({
      dataset: datasetOf(parseWorkspaceSpecs(SPECS), new Date(NOW)),
      faults: createFaults(),
      stats: createStats(),
    });
    for (const workspace of ['small', 'other']) {
      const answer = await handler(
        urlEvent(sessionsPath(workspace), 'limit=10', { authorization: 'Bearer k' }),
        {} as Context,
      );
      expect(answer.statusCode).toBe(200);
      const expected = await reference.request(`${sessionsPath(workspace)}?limit=10`, {
        headers: { authorization: 'Bearer k' },
      });
      expect(answer.body).toBe(await expected.text());
      expect(JSON.parse(answer.body).data.length).toBeGreaterThan(0);
    }
  });

  it('answers 401 without a bearer key and 404 for a workspace it does not have', async () => {
    expect((await handler(urlEvent(sessionsPath('small'), '', {}), {} as Context)).statusCode).toBe(401);
    const unknown = await handler(
      urlEvent(sessionsPath('nope'), '', { authorization: 'Bearer k' }),
      {} as Context,
    );
    expect(unknown.statusCode).toBe(404);
  });

  it('refuses a workspace list it cannot read, naming the variable and the entry', () => {
    expect(() => parseWorkspaceSpecs('')).toThrow(/EMULATOR_WORKSPACES is empty/);
    expect(() => parseWorkspaceSpecs('small:3')).toThrow('EMULATOR_WORKSPACES: cannot read "small:3"');
  });
});
