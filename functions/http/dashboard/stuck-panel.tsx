/**
 * "Stuck": sessions that still have pending files and were created more than the threshold
 * before the run, most pending files first, with their age at the run's start (the instant the
 * run judged them by) and who created them. Capped; the rest are in sessions.csv.
 */
import { REPORT_FILES } from '../../../lib/report/columns';
import type { StuckSummary } from '../../../lib/report/stuck';
import { formatAge, formatCount, formatInstant } from './format';
import { CountList, Panel } from './panel';
import type { StuckSessions } from './stuck-sessions';

/** The panel for `summary.stuck` and the stuck rows of sessions.csv; nothing for a run without them. */
export function StuckPanel(props: {
  runId: string;
  startedAt: string;
  summary: StuckSummary | undefined;
  sessions: StuckSessions | undefined;
}) {
  const { summary, sessions } = props;
  if (!summary || !sessions) return null;
  const hours = formatCount(summary.after_hours);
  const counts: [string, string][] = [
    ['Stuck sessions', formatCount(summary.sessions)],
    ['Pending files in them', formatCount(summary.pending_files)],
    ['Threshold', `${hours} h`],
  ];
  return (
    <Panel id="stuck" title="Stuck">
      <p>Sessions that still have pending files and were created more than {hours} hours before the run.</p>
      <CountList counts={counts} />
      {sessions.shown.length === 0 ? (
        <p>No session is stuck.</p>
      ) : (
        <StuckTable sessions={sessions} startedAt={props.startedAt} />
      )}
      <More runId={props.runId} sessions={sessions} />
    </Panel>
  );
}

function StuckTable(props: { sessions: StuckSessions; startedAt: string }) {
  return (
    <table id="stuck-table">
      <caption>Stuck sessions, most pending files first</caption>
      <thead>
        <tr>
          <th scope="col">Session</th>
          <th scope="col">Created by</th>
          <th scope="col">Created</th>
          <th scope="col">Age</th>
          <th scope="col" class="n">
            Pending
          </th>
        </tr>
      </thead>
      <tbody>
        {props.sessions.shown.map((session) => (
          <tr>
            <th scope="row">
              <code>{session.sessionId}</code>
            </th>
            <td>{session.createdBy}</td>
            <td>{formatInstant(session.createdAt)}</td>
            <td class="age">{formatAge(session.createdAt, props.startedAt)}</td>
            <td class="n">{formatCount(session.pending)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function More(props: { runId: string; sessions: StuckSessions }) {
  const more = props.sessions.total - props.sessions.shown.length;
  if (more <= 0) return null;
  return (
    <p class="more">
      and {formatCount(more)} more: the <code>stuck</code> column of{' '}
      <a href={`reports/${props.runId}/${REPORT_FILES.sessions}`} download>
        {REPORT_FILES.sessions}
      </a>{' '}
      marks them all.
    </p>
  );
}
