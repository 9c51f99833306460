/**
 * The "run a report now" button, shown only to users who may run reports in the workspace. A
 * form that posts to the run route: the inline script (./run-now-script) starts the run, shows
 * its progress and then the new numbers; without script the server sends the browser back to
 * the dashboard (303). The sign-in gate checks the POST comes from this app.
 */
import { raw } from 'hono/html';
import { RUN_NOW_SCRIPT } from './run-now-script';

/** Posts to `reports` relative to the dashboard URL (`/workspaces/<ws>/reports`). */
export function RunControl() {
  return (
    <form class="run" method="post" action="reports?mode=full">
      <button type="submit">Run a report now</button>
      <progress hidden max="1" />
      <output aria-live="polite" />
      <script>{raw(RUN_NOW_SCRIPT)}</script>
    </form>
  );
}
