/**
 * The nightly invocation's event: `{ "workspaces": ["acme", "beta"] }` from the scheduler, or
 * anything without `workspaces` (a manual test invoke, an EventBridge rule's event), in which
 * case DEEPSET_WORKSPACES applies. Names are checked before any report starts.
 */
import { z } from 'zod';
import { describeIssues } from '../../lib/api/schemas';
import { assertWorkspaceName } from '../../lib/report/workspace-name';

// Other keys are ignored rather than refused: EventBridge and console test events carry their own.
const NightlyEvent = z.object({
  workspaces: z.array(z.string()).optional(),
  /** The night's scheduled time (the scheduler's <aws.scheduler.scheduled-time>; EventBridge: `time`). */
  scheduled_time: z.iso.datetime({ offset: true }).optional(),
  time: z.iso.datetime({ offset: true }).optional(),
});

/** The night the event is for, when it says; the same on a retry of that night's invocation. */
export function scheduledTimeOf(event: unknown): Date | undefined {
  const parsed = NightlyEvent.safeParse(event ?? {});
  const iso = parsed.success ? (parsed.data.scheduled_time ?? parsed.data.time) : undefined;
  return iso ? new Date(iso) : undefined;
}

/** An event (or the env fallback) the nightly run cannot work with; the message says why. */
export class InvalidNightlyEventError extends Error {
  override name = 'InvalidNightlyEventError';
}

/**
 * The workspaces to report on: the event's list when it has a non-empty one, else `fallback`
 * (DEEPSET_WORKSPACES). Names are taken as given (no trimming: a
 * machine wrote them) and de-duplicated, in the given order.
 *
 * @example workspacesFor({ workspaces: ['acme'] }, []) // ['acme']
 */
export function workspacesFor(event: unknown, fallback: readonly string[]): string[] {
  const parsed = NightlyEvent.safeParse(event ?? {});
  if (!parsed.success) {
    throw new InvalidNightlyEventError(
      `invalid nightly event: expected {"workspaces": [names]} (${describeIssues(parsed.error)})`,
    );
  }
  const given = parsed.data.workspaces ?? [];
  const [names, source] = given.length > 0 ? [given, 'the event'] : [[...fallback], 'DEEPSET_WORKSPACES'];
  if (names.length === 0) {
    throw new InvalidNightlyEventError(
      'no workspaces to report on: pass {"workspaces": [...]} in the event or set DEEPSET_WORKSPACES',
    );
  }
  checkNames(names, source);
  return [...new Set(names)];
}

function checkNames(names: string[], source: string): void {
  const problems: string[] = [];
  for (const name of names) {
    try {
      assertWorkspaceName(name);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  if (problems.length > 0) throw new InvalidNightlyEventError(`in ${source}: ${problems.join('; ')}`);
}
