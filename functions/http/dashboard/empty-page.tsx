/** The dashboard of a workspace with no complete run yet: what to do, not an error. */
import type { User } from '../auth/user';
import { HtmlPage } from '../html-page';
import { USER_BAR_CSS, UserBar } from '../user-bar';
import { RunControl } from './run-control';
import { DASHBOARD_CSS } from './styles';

/** A friendly empty state. */
export function EmptyDashboardPage(props: { workspace: string; user: User; canRun: boolean }) {
  return (
    <HtmlPage title={`Ingestion report · ${props.workspace}`} css={DASHBOARD_CSS + USER_BAR_CSS}>
      <main>
        <UserBar user={props.user} />
        <section class="empty">
          <h1>No report for {props.workspace} yet</h1>
          <p>
            There is no complete report run for workspace <strong>{props.workspace}</strong>. The nightly job
            makes one, or run one now:
          </p>
          <p>
            <code>POST /workspaces/{props.workspace}/reports</code>
          </p>
          {props.canRun && <RunControl />}
          <p>
            Past runs, including incomplete ones: <a href="reports">JSON list</a> · API:{' '}
            <a href="../../docs">documentation</a>
          </p>
        </section>
      </main>
    </HtmlPage>
  );
}
