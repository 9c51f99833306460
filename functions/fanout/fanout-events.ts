/**
 * The fan-out state machine's state, step by step (infra/report-workflow.ts has the picture),
 * checked with zod where each function receives it. Step Functions adds nothing we rely on
 * beyond these fields; unknown fields are ignored.
 */
import { z } from 'zod';
import { describeIssues } from '../../lib/api/schemas';
import { ManifestBatch } from '../../lib/fanout/manifest';
import { FanoutPlan } from '../../lib/fanout/plan';
import { isRunId } from '../../lib/report/run-id';
import { REPORT_MODES } from '../../lib/report/summary';
import { WORKSPACE_PATTERN } from '../../lib/report/workspace-name';

const workspace = z.string().regex(WORKSPACE_PATTERN, 'expected a workspace name');
const runId = z.string().refine(isRunId, 'expected a run ID such as 20261123T070630123Z-4f9c2a');
const mode = z.enum(REPORT_MODES).default('full');

/** The execution input, which is Plan's event. Without a runId the plan makes one. */
export const PlanEvent = z.object({ workspace, runId: runId.optional(), mode });

/** Plan's output, the state from then on: the plan plus where the ItemReader finds the manifest. */
export const PlanState = FanoutPlan.extend({
  workspace,
  runId,
  bucket: z.string().min(1),
  /** The manifest's bucket key (REPORT_PREFIX included). */
  manifestKey: z.string().min(1),
});
export type PlanState = z.infer<typeof PlanState>;

/** One Distributed Map item, as the map's ItemSelector builds it. */
export const WorkerEvent = z.object({
  workspace,
  runId,
  mode,
  bucket: z.string(),
  manifestKey: z.string(),
  batchIndex: z.number().int().nonnegative(),
  batch: ManifestBatch,
});

/** What a Catch adds to the state (`ResultPath: $.failure`): the error name and its cause. */
const CaughtError = z.object({ Error: z.string().optional(), Cause: z.string().optional() });

/**
 * Finish gets the plan's state; RecordFailure gets whatever state the failed step had (the
 * execution input when Plan failed, the plan's state when FanOut failed) plus `failure`.
 */
export const FinalizeEvent = z.object({
  workspace,
  runId: runId.optional(),
  mode,
  failure: CaughtError.optional(),
});

/** An event a fan-out function cannot work with; the message names the field. */
export class InvalidFanoutEventError extends Error {
  override name = 'InvalidFanoutEventError';
}

/** Parses `event` with `schema` or throws `InvalidFanoutEventError` naming the step and the field. */
export function parseEvent<T extends z.ZodType>(schema: T, event: unknown, step: string): z.output<T> {
  const parsed = schema.safeParse(event);
  if (parsed.success) return parsed.data;
  throw new InvalidFanoutEventError(`invalid ${step} event: ${describeIssues(parsed.error)}`);
}
