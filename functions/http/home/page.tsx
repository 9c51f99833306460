/** The home page: the workspaces the user may read, worst failure rate first, or how to get a first report. */
import type { User } from '../auth/user';
import { formatCount, formatInstant } from '../dashboard/format';
import { DASHBOARD_CSS } from '../dashboard/styles';
import { HtmlPage } from '../html-page';
import { USER_BAR_CSS, UserBar } from '../user-bar';
import type { WorkspaceOverview } from './overview';

const HOME_CSS = `${DASHBOARD_CSS}${USER_BAR_CSS}
table.workspaces { background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table.workspaces th, table.workspaces td { padding: 8px 12px; }
table.workspaces td.n, table.workspaces th.n { text-align: right; }
table.workspaces td { white-space: nowrap; }
table.workspaces td.files { white-space: normal; }
td.files a { margin-right: 10px; display: inline-block; }
td .none { color: var(--muted); font-size: 13px; }
`;

/** `/` */
export function HomePage(props: { user: User; workspaces: WorkspaceOverview[] }) {
  return (
    <HtmlPage title="Ingestion reports" css={HOME_CSS}>
      <main>
        <UserBar user={props.user} />
        <header class="page">
          <h1>Ingestion reports</h1>
        </header>
        {props.workspaces.length === 0 ? <EmptyHome user={props.user} /> : <Table rows={props.workspaces} />}
        <footer>
          <p>
            The same list as JSON: <a href="/workspaces">/workspaces</a> · API:{' '}
            <a href="/docs">documentation</a>
          </p>
        </footer>
      </main>
    </HtmlPage>
  );
}

function Table(props: { rows: WorkspaceOverview[] }) {
  return (
    <table class="workspaces">
      <caption>Your workspaces, by failure rate of the latest complete run</caption>
      <thead>
        <tr>
          <th>Workspace</th>
          <th>Latest run</th>
          <th class="n">Files</th>
          <th class="n">Failed</th>
          <th class="n">Pending</th>
          <th class="n">Failure rate</th>
          <th class="n">Newly failed</th>
          <th class="n">Stuck</th>
          <th>Download</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr data-workspace={row.workspace}>
            <td>
              <a href={row.links.dashboard}>{row.workspace}</a>
            </td>
            <td>{formatInstant(row.generated_at)}</td>
            <td class="n">{formatCount(row.files)}</td>
            <td class="n">{formatCount(row.failed)}</td>
            <td class="n">{formatCount(row.pending)}</td>
            <td class="n">{(row.failure_rate * 100).toFixed(1)} %</td>
            <td class="n newly-failed">
              <NewlyFailed since={row.since_previous} />
            </td>
            <td class="n stuck">
              <Stuck stuck={row.stuck} />
            </td>
            <td class="files">
              {Object.entries(row.links.files).map(([file, url]) => (
                <a href={url} download>
                  {file}
                </a>
              ))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The newly failed files, or why there is no number: no baseline, or a run from before comparisons. */
function NewlyFailed(props: { since: WorkspaceOverview['since_previous'] }) {
  const { since } = props;
  if (!since) return <span class="none">not recorded</span>;
  if ('unavailable' in since) {
    return (
      <span class="none" title={since.unavailable}>
        no comparison
      </span>
    );
  }
  return <>{formatCount(since.newly_failed)}</>;
}

/** "12 files / 3 sessions" stuck, or a run from before stuck counts. */
function Stuck(props: { stuck: WorkspaceOverview['stuck'] }) {
  const { stuck } = props;
  if (!stuck) return <span class="none">not recorded</span>;
  const files = `${formatCount(stuck.pending_files)} ${stuck.pending_files === 1 ? 'file' : 'files'}`;
  const sessions = `${formatCount(stuck.sessions)} ${stuck.sessions === 1 ? 'session' : 'sessions'}`;
  return (
    <span title={`pending for more than ${stuck.after_hours} hours`}>
      {files} / {sessions}
    </span>
  );
}

function EmptyHome(props: { user: User }) {
  const signedIn = props.user.source === 'session' || props.user.source === 'bearer';
  return (
    <section class="empty" id="no-workspaces">
      <h2>No reports to show yet</h2>
      <p>
        There is no complete report for any workspace {signedIn ? 'you may read ' : ''}
        yet. Reports appear here after the nightly run, or after one is run by hand:
      </p>
      <p>
        <code>POST /workspaces/&lt;workspace&gt;/reports</code> (needs the group <code>reports-runners</code>{' '}
        or <code>reports-runners:&lt;workspace&gt;</code>), or from a terminal:{' '}
        <code>npm run report -- --workspace &lt;workspace&gt; --out s3://&lt;bucket&gt;/reports/</code>
      </p>
      {signedIn && (
        <p>
          If you expected a workspace here, ask for the group <code>reports-readers:&lt;workspace&gt;</code>.
        </p>
      )}
    </section>
  );
}
