/**
 * A small local stand-in of AWS Lambda's Invoke API (POST /2015-03-31/functions/{name}/invocations),
 * for the HTTP function's hand-over of a run: the real @aws-sdk/client-lambda sends its
 * InvokeCommand here over HTTP (AWS_ENDPOINT_URL_LAMBDA), and the stand-in records what arrived
 * and answers as Lambda does for InvocationType Event (202, empty body). Lambda is an AWS-only
 * service, so this is the one thing faked; the test then runs the run function with the payload.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedInvoke {
  functionName: string;
  invocationType: string | undefined;
  payload: unknown;
}

export interface LambdaStandIn {
  url: string;
  invokes: RecordedInvoke[];
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;

export async function startLambdaStandIn(): Promise<LambdaStandIn> {
  const invokes: RecordedInvoke[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const match = INVOKE_PATH.exec(req.url?.split('?')[0] ?? '');
    if (req.method !== 'POST' || !match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not an Invoke"}');
      return;
    }
    invokes.push({
      functionName: decodeURIComponent(match[1]!),
      invocationType: req.headers['x-amz-invocation-type'] as string | undefined,
      payload: JSON.parse(body),
    });
    res.writeHead(202, { 'x-amzn-requestid': `stand-in-${invokes.length}` }).end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    invokes,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
