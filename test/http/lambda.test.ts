/**
 * The bundled Lambda: functions/http/handler.ts built with esbuild as CDK would (ESM, node20,
 * one file, a `require` shim for CommonJS dependencies), imported in a fresh Node process with
 * the function's environment, and invoked with Function URL (payload v2) events against the
 * emulator and s3rver. A started run is handed to the bundled run function through a local
 * stand-in of the Lambda Invoke API (Lambda itself is AWS-only).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { type LambdaStandIn, startLambdaStandIn } from './lambda-invoke-stand-in';

const DOMAIN = 'abcdefghijklmnop.lambda-url.eu-central-1.on.aws';
const API_KEY = 'lambda-test-key-93c1';

/** A Function URL request, as Lambda delivers it (payload format 2.0). */
function functionUrlEvent(method: string, rawPath: string, rawQueryString = ''): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: DOMAIN, 'x-forwarded-proto': 'https', 'user-agent': 'vitest', accept: '*/*' },
    ...(rawQueryString
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }
      : {}),
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnop',
      domainName: DOMAIN,
      domainPrefix: 'abcdefghijklmnop',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'c0ffee00-0000-4000-8000-000000000001',
      routeKey: '$default',
      stage: '$default',
      time: '23/Nov/2026:07:00:00 +0000',
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  };
}

/** A Lambda context; only awsRequestId matters to the app (it becomes the request id). */
function lambdaContext(awsRequestId: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'ingestion-reports-http',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:ingestion-reports-http',
    memoryLimitInMB: '512',
    awsRequestId,
    logGroupName: '/aws/lambda/ingestion-reports-http',
    logStreamName: '2026/11/23/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 60_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

let dir: string;
let emulator: RunningEmulator;
let s3: LocalS3;
let lambdaApi: LambdaStandIn;

// Runs in a fresh Node process, as Lambda's runtime does: imports the bundle, invokes the
// handler once per event (in order, one warm container), and prints the results as JSON.
const RUNNER = `
const { handler } = await import(process.argv[2]);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { event, context } of JSON.parse(input)) {
  results.push(await handler(event, { ...context, getRemainingTimeInMillis: () => 60000 }));
}
// The last line: a function writes its own lines (EMF metrics) to stdout before it.
process.stdout.write('\\n' + JSON.stringify(results));
`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lambda-bundle-'));
  [emulator, s3] = await Promise.all([
    startEmulator({ port: 0, sessions: 8, maxFiles: 200, apiKey: API_KEY }),
    startLocalS3({ directory: join(dir, 's3') }),
    bundle('functions/run/handler.ts', 'run.mjs'),
    startLambdaStandIn().then((started) => {
      lambdaApi = started;
    }),
    bundle('functions/http/handler.ts', 'index.mjs'),
    writeFile(join(dir, 'runner.mjs'), RUNNER),
  ]);
});

/** Builds a Lambda entry as CDK does (ESM, one file, a require shim for CommonJS). */
function bundle(entry: string, outfile: string) {
  return build({
    entryPoints: [entry],
    outfile: join(dir, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    tsconfig: 'tsconfig.json',
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'silent',
  });
}

afterAll(async () => {
  await Promise.all([emulator?.close(), s3?.close(), lambdaApi?.close()]);
  await rm(dir, { recursive: true, force: true });
});

/** Invokes the bundled handler with each event in turn, in a process with exactly `env`. */
async function invoke(
  env: Record<string, string>,
  calls: { event: unknown; context: Context }[],
  entry = 'index.mjs',
): Promise<{ results: APIGatewayProxyStructuredResultV2[]; stderr: string }> {
  const child = spawn(process.execPath, [join(dir, 'runner.mjs'), `./${entry}`], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', POWERTOOLS_LOG_LEVEL: 'SILENT', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(JSON.stringify(calls));
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`the bundled handler exited with ${code}: ${stderr}`);
  const last = stdout.slice(stdout.lastIndexOf('\n') + 1);
  return { results: JSON.parse(last) as APIGatewayProxyStructuredResultV2[], stderr };
}

const lambdaEnv = () => ({
  REPORT_BUCKET: s3.bucket,
  REPORT_PREFIX: 'reports/',
  AWS_ENDPOINT_URL_S3: s3.endpoint,
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  DEEPSET_API_URL: emulator.url,
  DEEPSET_API_KEY: API_KEY,
  RUN_FUNCTION_NAME: 'ingestion-reports-run',
  AWS_ENDPOINT_URL_LAMBDA: lambdaApi.url,
});

describe('the bundled HTTP Lambda', () => {
  it('starts a run (202), hands it to the run function, and reads it back through Function URL events', async () => {
    const started = await invoke(lambdaEnv(), [
      {
        event: functionUrlEvent('POST', '/workspaces/demo/reports', 'mode=full'),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000001'),
      },
    ]);
    const posted = started.results[0]!;
    expect(posted.statusCode).toBe(202);
    expect(posted.headers?.['x-request-id']).toBe('11111111-aaaa-4bbb-8ccc-000000000001');
    const run = JSON.parse(posted.body!) as { run_id: string; status: string; links: { self: string } };
    expect(run.status).toBe('running');
    expect(run.links.self).toBe(`https://${DOMAIN}/workspaces/demo/reports/${run.run_id}`);
    expect(posted.headers?.location).toBe(run.links.self);
    // Handed over through the real SDK's InvokeCommand, asynchronously, naming the claimed run.
    expect(lambdaApi.invokes).toEqual([
      {
        functionName: 'ingestion-reports-run',
        invocationType: 'Event',
        payload: { workspace: 'demo', mode: 'full', run_id: run.run_id },
      },
    ]);

    const statusPath = `/workspaces/demo/reports/${run.run_id}`;
    const before = await invoke(lambdaEnv(), [
      {
        event: functionUrlEvent('GET', statusPath),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000002'),
      },
      {
        event: functionUrlEvent('POST', '/workspaces/demo/reports'),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000003'),
      },
    ]);
    expect(JSON.parse(before.results[0]!.body!)).toMatchObject({
      status: 'running',
      progress: { sessions_done: 0 },
    });
    expect(before.results[1]!.statusCode, 'the lease is held until the run function ends').toBe(409);

    const ran = await invoke(
      lambdaEnv(),
      [{ event: lambdaApi.invokes[0]!.payload, context: lambdaContext('r-1') }],
      'run.mjs',
    );
    expect(ran.results[0]).toEqual({ run_id: run.run_id, status: 'complete' });

    const { results } = await invoke(lambdaEnv(), [
      {
        event: functionUrlEvent('GET', statusPath),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000004'),
      },
      {
        event: functionUrlEvent('GET', '/workspaces/demo/reports/latest'),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000005'),
      },
      {
        event: functionUrlEvent('GET', '/workspaces/demo/reports/latest/sessions.csv'),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000006'),
      },
      {
        event: functionUrlEvent('GET', '/workspaces/..%2Fetc/reports'),
        context: lambdaContext('11111111-aaaa-4bbb-8ccc-000000000007'),
      },
    ]);
    const [status, latest, download, invalid] = results as APIGatewayProxyStructuredResultV2[];
    const ended = JSON.parse(status!.body!) as {
      status: string;
      progress: { sessions_done: number };
      summary: { run_id: string; complete: boolean; sessions: { total: number } };
      links: { files: Record<string, { presigned: string }> };
    };
    expect(ended).toMatchObject({ status: 'complete', progress: { sessions_done: 8 } });
    expect(ended.summary).toMatchObject({ run_id: run.run_id, complete: true, sessions: { total: 8 } });
    expect(
      ended.links.files['sessions.csv']!.presigned.startsWith(`${s3.endpoint}/${s3.bucket}/reports/demo/`),
    ).toBe(true);

    expect(latest!.statusCode).toBe(200);
    expect(JSON.parse(latest!.body!).summary).toEqual(ended.summary);

    expect(download!.statusCode).toBe(302);
    const location = new URL(String(download!.headers?.location));
    expect(Number(location.searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(900);
    const csv = await fetch(location);
    expect(csv.status).toBe(200);
    expect((await csv.text()).startsWith('session_id,status,')).toBe(true);

    expect(invalid!.statusCode).toBe(400);
    expect(JSON.parse(invalid!.body!).error.code).toBe('INVALID_PARAMETER');
  });

  it('answers a generic 500 with the request id when misconfigured, and logs the variable', async () => {
    const { REPORT_BUCKET: _, ...withoutBucket } = lambdaEnv();
    const { results, stderr } = await invoke(withoutBucket, [
      {
        event: functionUrlEvent('GET', '/healthz'),
        context: lambdaContext('22222222-aaaa-4bbb-8ccc-000000000001'),
      },
    ]);
    expect(results[0]!.statusCode).toBe(500);
    expect(JSON.parse(results[0]!.body!)).toEqual({
      error: {
        code: 'INTERNAL',
        message: 'internal error (request id 22222222-aaaa-4bbb-8ccc-000000000001)',
      },
    });
    expect(stderr).toContain('REPORT_BUCKET');
    expect(stderr).not.toContain(API_KEY);
  });
});
