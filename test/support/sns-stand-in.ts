/**
 * A local stand-in for Amazon SNS, which exists only on AWS: a small HTTP server that speaks
 * the query protocol the SDK's SNS client uses (a form-encoded POST, an XML answer) for Publish,
 * and records each request's form parameters exactly as the real SDK sent them. Tests point the
 * SDK at it through AWS_ENDPOINT_URL_SNS, as the Secrets Manager test does for its service.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SnsStandIn {
  /** http://127.0.0.1:PORT, for AWS_ENDPOINT_URL_SNS. */
  endpoint: string;
  /** Every request's form parameters, in the order received. */
  requests: Record<string, string>[];
  /** Answer the next requests with SNS's AuthorizationError (403), as a missing grant would. */
  denyPublish(denied: boolean): void;
  close(): Promise<void>;
}

const NS = 'http://sns.amazonaws.com/doc/2010-03-31/';

/** The error SNS returns without sns:Publish; its message names the topic and the role, as AWS's does. */
const DENIED = (topic: string) =>
  `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>AuthorizationError</Code>` +
  `<Message>User: arn:aws:sts::123456789012:assumed-role/run-role/fn is not authorized to perform: ` +
  `SNS:Publish on resource: ${topic}</Message></Error><RequestId>denied-1</RequestId></ErrorResponse>`;

export async function startSnsStandIn(): Promise<SnsStandIn> {
  const requests: Record<string, string>[] = [];
  let denied = false;
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      const params = Object.fromEntries(new URLSearchParams(body));
      requests.push(params);
      if (denied) {
        response.writeHead(403, { 'content-type': 'text/xml' });
        response.end(DENIED(params.TopicArn ?? ''));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<PublishResponse xmlns="${NS}"><PublishResult><MessageId>msg-${requests.length}</MessageId>` +
          `</PublishResult><ResponseMetadata><RequestId>req-${requests.length}</RequestId>` +
          '</ResponseMetadata></PublishResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    denyPublish: (value) => {
      denied = value;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
