/**
 * The "run a report now" button, shown only to users who may run reports in the workspace. A plain
 * form POST (no script, so the page's CSP stays closed): the run route answers a browser with a
 * redirect back to the dashboard, and the sign-in gate checks the POST comes from this app.
 */

/** Posts to `reports` relative to the dashboard URL (`/workspaces/<ws>/reports`). */
export function RunControl() {
  return (
    <form class="run" method="post" action="reports?mode=full">
      <button type="submit">Run a report now</button>
    </form>
  );
}
