/**
 * The workflow's Worker step, one invocation per Distributed Map item: writes
 * the batch's part files and counts to S3, holding the run's workspace lease (adopted, kept
 * alive while it runs; a batch whose run lost the lease fails with LEASE_LOST and stops). Its return value is discarded by the map (the
 * collected results would outgrow the state); it is a short receipt for the execution history.
 */

import { writeFailureRecord } from '../../../lib/fanout/failure-record';
import { withFanoutLease } from '../../../lib/fanout/fanout-lease';
import { errorKey } from '../../../lib/fanout/layout';
import { runBatch } from '../../../lib/fanout/worker';
import { runPrefix } from '../../../lib/report/layout';
import { clientFor, type FanoutHandlerOptions, fanoutStep, type LambdaStep } from '../fanout-deps';
import { InvalidFanoutEventError, parseEvent, WorkerEvent } from '../fanout-events';

/** What the Worker returns. */
export interface WorkerReceipt {
  batch: number;
  sessions: number;
  apiRequests: number;
}

/** Builds the Worker handler; the container's deps are made on its first invocation. */
export function createWorkerHandler(options: FanoutHandlerOptions = {}): LambdaStep<WorkerReceipt> {
  return fanoutStep(options, async (deps, event) => {
    const input = parseEvent(WorkerEvent, event, 'Worker');
    if (input.batch.index !== input.batchIndex) {
      // The manifest and the map disagree on the order: writing would overwrite another batch.
      throw new InvalidFanoutEventError(
        `invalid Worker event: item ${input.batchIndex} holds batch ${input.batch.index}`,
      );
    }
    const { store } = deps;
    const prefix = runPrefix(input.workspace, input.runId);
    const client = await clientFor(deps, options.readSecret);
    const counts = await withFanoutLease(
      { store, workspace: input.workspace, runId: input.runId, mode: input.mode },
      (signal) =>
        runBatch({
          client,
          store,
          prefix,
          workspace: input.workspace,
          mode: input.mode,
          batch: input.batch,
          signal,
        }),
      {
        // Recorded like any batch failure, so the run's summary names it.
        refused: (failure) =>
          writeFailureRecord(store, errorKey(prefix, input.batchIndex), {
            ...failure,
            api_requests: 0,
            api_retries: 0,
            started_at: Date.now(),
          }),
      },
    );
    const receipt = {
      batch: counts.batch,
      sessions: input.batch.sessions.length,
      apiRequests: counts.api_requests,
    };
    options.logger?.info({ message: 'fan-out batch written', workspace: input.workspace, ...receipt });
    return receipt;
  });
}
