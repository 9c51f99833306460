/**
 * What the run function is invoked with: the workspace, the mode and the run ID the HTTP
 * function claimed. A file of its own so that the HTTP side, which sends it, reaches nothing of
 * the run function's code (the role tests follow imports).
 */
import { z } from 'zod';
import { isRunId } from '../../lib/report/run-id';
import { REPORT_MODES } from '../../lib/report/summary';
import { assertWorkspaceName } from '../../lib/report/workspace-name';

export const RunEvent = z.object({
  workspace: z.string().refine((name) => {
    try {
      assertWorkspaceName(name);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid workspace name'),
  mode: z.enum(REPORT_MODES),
  run_id: z.string().refine(isRunId, 'not a run ID'),
});
export type RunEvent = z.infer<typeof RunEvent>;
