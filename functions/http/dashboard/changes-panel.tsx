/**
 * "Since the previous run": what the morning question is about. Newly failed files by reason,
 * files that finished, files added and removed, against which run and over which files (in
 * summary mode only the failed files can be compared), and the link to changes.csv. A run
 * with no baseline says why; a run written before comparisons existed shows nothing.
 */
import type { ChangesSummary } from '../../../lib/report/changes/counts';
import { REPORT_FILES } from '../../../lib/report/columns';
import type { ReportSummary } from '../../../lib/report/summary';
import { BarChart } from './bar-chart';
import { finished, newlyFailed } from './change-totals';
import { FAILURE_COLOR } from './colors';
import { formatCount } from './format';
import { CountList, type CountValue, Panel } from './panel';

/** The panel for `summary.changes`, or nothing when the run has no `changes`. */
export function ChangesPanel(props: { runId: string; changes: ReportSummary['changes'] }) {
  const { changes } = props;
  if (!changes) return null;
  if ('unavailable' in changes) {
    return (
      <Panel id="changes" title="Since the previous run">
        <p class="unavailable">No comparison for this run: {changes.unavailable}</p>
      </Panel>
    );
  }
  return <Compared runId={props.runId} changes={changes} />;
}

function Compared(props: { runId: string; changes: ChangesSummary }) {
  const { changes } = props;
  const allFiles = changes.scope === 'all';
  const counts: [string, CountValue][] = [
    ['Newly failed', formatCount(newlyFailed(changes))],
    ['Finished', allFiles ? formatCount(finished(changes)) : { note: 'not compared' }],
    ['Added', formatCount(changes.added)],
    ['Removed', formatCount(changes.removed)],
  ];
  return (
    <Panel id="changes" title="Since the previous run">
      <p class="scope">
        Compared with run <code>{changes.previous_run_id}</code>:{' '}
        {allFiles ? (
          'all files.'
        ) : (
          <>
            <strong>failed files only</strong> (a run in summary mode lists no other files), so added means
            newly in the failed list and removed means no longer in it.
          </>
        )}
      </p>
      <CountList counts={counts} />
      <NewlyFailedByReason changes={changes} />
      <Transitions changes={changes} />
      <p>
        Every added, removed and changed file:{' '}
        <a href={`reports/${props.runId}/${REPORT_FILES.changes}`} download>
          {REPORT_FILES.changes}
        </a>
      </p>
    </Panel>
  );
}

function NewlyFailedByReason(props: { changes: ChangesSummary }) {
  const reasons = Object.entries(props.changes.newly_failed_by_reason)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  if (reasons.length === 0) return <p>No file failed since the previous run.</p>;
  const title = 'Newly failed by reason';
  return (
    <figure class="inline-chart" aria-labelledby="newly-failed-caption">
      <figcaption id="newly-failed-caption">
        <h3>{title}</h3>
      </figcaption>
      <BarChart
        id="newly-failed-svg"
        title={title}
        desc={reasons.map(([reason, n]) => `${reason}: ${formatCount(n)}`).join(', ')}
        color={FAILURE_COLOR}
        bars={reasons.map(([reason, n]) => ({
          label: reason,
          value: n,
          hint: `${reason}: ${formatCount(n)}`,
        }))}
      />
      <details>
        <summary>Show as a table</summary>
        <table id="newly-failed-table">
          <caption>{title}</caption>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Newly failed files</th>
            </tr>
          </thead>
          <tbody>
            {reasons.map(([reason, n]) => (
              <tr>
                <th scope="row">{reason}</th>
                <td>{formatCount(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

function Transitions(props: { changes: ChangesSummary }) {
  const transitions = Object.entries(props.changes.transitions).sort(([a], [b]) => (a < b ? -1 : 1));
  if (transitions.length === 0) return null;
  return (
    <details>
      <summary>Status changes ({formatCount(props.changes.status_changed)})</summary>
      <table id="transitions-table">
        <caption>Files by status change</caption>
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Files</th>
          </tr>
        </thead>
        <tbody>
          {transitions.map(([transition, n]) => {
            const [from, to] = transition.split('->');
            return (
              <tr>
                <th scope="row">{from}</th>
                <td>{to}</td>
                <td>{formatCount(n)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}
