/** The dashboard page of one workspace: header, totals, downloads, what changed and what is stuck, the four charts. */
import { REPORT_FILES } from '../../../lib/report/columns';
import type { ReportSummary } from '../../../lib/report/summary';
import type { User } from '../auth/user';
import { HtmlPage } from '../html-page';
import { USER_BAR_CSS, UserBar } from '../user-bar';
import { ChangesPanel } from './changes-panel';
import type { DashboardData } from './data';
import { formatCount, formatInstant, formatShare } from './format';
import { ReasonsChart } from './reasons-chart';
import { RunControl } from './run-control';
import { SessionsChart } from './sessions-chart';
import { StatusChart } from './status-chart';
import { StuckPanel } from './stuck-panel';
import { DASHBOARD_CSS } from './styles';
import { runStartedAt } from './trend';
import { TrendChart } from './trend-chart';

/** The dashboard of the latest complete run. */
export function DashboardPage(props: { data: DashboardData; user: User; canRun: boolean }) {
  const { workspace, run } = props.data;
  const { summary } = run;
  return (
    <HtmlPage title={`Ingestion report · ${workspace}`} css={DASHBOARD_CSS + USER_BAR_CSS}>
      <main>
        <UserBar user={props.user} />
        <header class="page">
          <h1>Ingestion report: {workspace}</h1>
          <dl class="meta">
            <Meta term="Run" value={run.runId} />
            <Meta term="Generated" value={formatInstant(summary.generated_at)} />
            <Meta term="Mode" value={summary.mode} />
            <Meta
              term="Took"
              value={`${(summary.duration_ms / 1000).toFixed(1)} s, ${formatCount(summary.api_requests)} API requests`}
            />
          </dl>
          {props.canRun && <RunControl />}
        </header>
        <Totals summary={summary} />
        <Downloads runId={run.runId} files={Object.keys(run.keys)} />
        <div class="panels">
          <ChangesPanel runId={run.runId} changes={summary.changes} />
          <StuckPanel
            runId={run.runId}
            startedAt={runStartedAt(run.runId) || summary.generated_at}
            summary={summary.stuck}
            sessions={props.data.stuck}
          />
        </div>
        <div class="charts">
          <StatusChart summary={summary} />
          <ReasonsChart summary={summary} />
          <SessionsChart sessions={props.data.topSessions} />
          <TrendChart points={props.data.trend} />
        </div>
        <footer>
          {summary.warnings.length > 0 && (
            <p class="warning">
              {summary.warnings.length} warning(s):{' '}
              {[...new Set(summary.warnings.map((w) => w.code))].join(', ')} (see the error column of
              sessions.csv).
            </p>
          )}
          <p>
            Runs: <a href="reports">JSON list</a> · API: <a href="../../docs">documentation</a>
          </p>
        </footer>
      </main>
    </HtmlPage>
  );
}

function Meta(props: { term: string; value: string }) {
  return (
    <div>
      <dt>{props.term}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

function Totals(props: { summary: ReportSummary }) {
  const { files, sessions } = props.summary;
  const status = files.by_ingestion_status;
  const failed = status.FAILED ?? 0;
  const cards: [string, string][] = [
    ['Sessions', formatCount(sessions.total)],
    ['Files', formatCount(files.total)],
    ['Finished', formatCount(status.FINISHED ?? 0)],
    ['Pending', formatCount(status.PENDING ?? 0)],
    ['Failed', formatCount(failed)],
    ['Failure rate', formatShare(failed, files.total)],
  ];
  return (
    <section class="totals" aria-label="Totals">
      {cards.map(([label, value]) => (
        <div class="total">
          <span class="n">{value}</span>
          <span class="k">{label}</span>
        </div>
      ))}
    </section>
  );
}

/** Links to this API's download route, relative to the dashboard URL (works under any base path). */
function Downloads(props: { runId: string; files: string[] }) {
  const order = [
    REPORT_FILES.sessions,
    REPORT_FILES.failedFiles,
    REPORT_FILES.files,
    REPORT_FILES.changes,
    REPORT_FILES.summary,
  ];
  const files = order.filter((file) => props.files.includes(file));
  return (
    <section class="downloads" aria-labelledby="downloads-title">
      <h2 id="downloads-title">Download</h2>
      <ul>
        {files.map((file) => (
          <li>
            <a href={`reports/${props.runId}/${file}`} download>
              {file}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
