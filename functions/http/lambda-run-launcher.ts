/**
 * On Lambda, a run goes on in the run function: an asynchronous invoke (InvocationType Event)
 * whose payload names the workspace, mode and the run ID the HTTP function claimed, so the run
 * function adopts that run's lease. Lambda queues the event and answers 202 at once. A
 * workspace above the fan-out threshold goes on from there to the Step Functions workflow (the
 * run function counts its files: one request per session, too slow for the request).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ClaimedRun } from '../../lib/report/leased-run';
import type { RunEvent } from '../run/run-event';
import type { RunLauncher } from './run-launcher';

export function lambdaRunLauncher(options: { client: LambdaClient; functionName: string }): RunLauncher {
  return {
    async launch(claimed: ClaimedRun) {
      const event: RunEvent = { workspace: claimed.workspace, mode: claimed.mode, run_id: claimed.runId };
      const answer = await options.client.send(
        new InvokeCommand({
          FunctionName: options.functionName,
          InvocationType: 'Event',
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      if (answer.StatusCode !== 202) {
        throw new Error(
          `the run function was not started: Lambda answered ${answer.StatusCode} to the invoke`,
        );
      }
    },
  };
}
