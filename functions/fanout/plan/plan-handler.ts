/**
 * The workflow's Plan step: lists the workspace's sessions, counts their files,
 * writes the manifest of batches, and returns the state the later steps need (see
 * ../fanout-events.ts). A failure leaves `error-plan.json` for RecordFailure and fails the step.
 */
import { manifestKey } from '../../../lib/fanout/layout';
import { planFanout } from '../../../lib/fanout/plan';
import { runPrefix } from '../../../lib/report/layout';
import { newRunId } from '../../../lib/report/run-id';
import { withLambdaContext } from '../../shared/powertools';
import {
  clientFor,
  type FanoutDeps,
  type FanoutHandlerOptions,
  type LambdaStep,
  loadFanoutDeps,
} from '../fanout-deps';
import { PlanEvent, type PlanState, parseEvent } from '../fanout-events';

/** Builds the Plan handler; the container's deps are made on its first invocation. */
export function createPlanHandler(options: FanoutHandlerOptions = {}): LambdaStep<PlanState> {
  let deps: FanoutDeps | undefined;
  return withLambdaContext(options, async (event: unknown) => {
    deps ??= loadFanoutDeps(options.env);
    const input = parseEvent(PlanEvent, event, 'Plan');
    const runId = input.runId ?? newRunId();
    const prefix = runPrefix(input.workspace, runId);
    const plan = await planFanout({
      client: await clientFor(deps, options.readSecret),
      store: deps.store,
      prefix,
      workspace: input.workspace,
      runId,
      mode: input.mode,
      limits: deps.limits,
    });
    options.logger?.info({ message: 'fan-out planned', ...plan, prefix });
    return {
      ...plan,
      bucket: deps.config.reportBucket,
      manifestKey: deps.config.reportPrefix + manifestKey(prefix),
    };
  });
}
