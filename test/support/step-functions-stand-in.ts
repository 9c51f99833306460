/**
 * A small local stand-in of the Step Functions API, for StartExecution only: the real
 * @aws-sdk/client-sfn sends its command here over HTTP (AWS JSON 1.0: POST /, X-Amz-Target
 * AWSStepFunctions.StartExecution), found through AWS_ENDPOINT_URL_SFN or an explicit endpoint.
 * It records what arrived and answers as Step Functions does: the execution's ARN and start
 * date, or, for a state machine it is told is missing, the StateMachineDoesNotExist error.
 * Step Functions cannot run here (it is AWS-only), so this is the one thing faked: the tests
 * then drive the workflow's own handlers with the recorded input.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedExecution {
  target: string | undefined;
  stateMachineArn: string;
  name: string;
  /** The execution input, parsed. */
  input: unknown;
}

export interface StepFunctionsStandIn {
  url: string;
  executions: RecordedExecution[];
  /** State machines that answer StateMachineDoesNotExist. */
  missing: Set<string>;
  close(): Promise<void>;
}

const JSON_1_0 = 'application/x-amz-json-1.0';

export async function startStepFunctionsStandIn(): Promise<StepFunctionsStandIn> {
  const executions: RecordedExecution[] = [];
  const missing = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const target = req.headers['x-amz-target'] as string | undefined;
    const answer = (status: number, json: object) =>
      res.writeHead(status, { 'content-type': JSON_1_0 }).end(JSON.stringify(json));
    if (req.method !== 'POST' || target !== 'AWSStepFunctions.StartExecution') {
      answer(400, { __type: 'UnknownOperationException', message: `not StartExecution: ${target}` });
      return;
    }
    const request = JSON.parse(body) as { stateMachineArn: string; name: string; input: string };
    if (missing.has(request.stateMachineArn)) {
      answer(400, { __type: 'StateMachineDoesNotExist', message: 'State Machine Does Not Exist' });
      return;
    }
    executions.push({ target, ...request, input: JSON.parse(request.input) });
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`;
    answer(200, { executionArn, startDate: Date.now() / 1000 });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    executions,
    missing,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
