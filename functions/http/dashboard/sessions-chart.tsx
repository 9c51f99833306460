/** The sessions with the most failed files (from sessions.csv), one bar each. */
import { BarChart } from './bar-chart';
import { ChartFigure } from './chart-figure';
import { SESSION_COLOR } from './colors';
import { formatCount, formatShare } from './format';
import { type SessionFailures, TOP_SESSIONS } from './session-failures';

/** Per-session failure bars. */
export function SessionsChart(props: { sessions: SessionFailures[] }) {
  const title = `Sessions with the most failures (top ${TOP_SESSIONS})`;
  const label = (s: SessionFailures) => `${s.sessionId.slice(0, 8)} · ${s.createdBy}`;
  return (
    <ChartFigure
      id="sessions-chart"
      title={title}
      description={
        props.sessions.length === 0 ? 'No session has failed files.' : 'Failed files per upload session.'
      }
      table={{
        columns: ['Session', 'Created by', 'Status', 'Failed', 'Files', 'Failure rate'],
        rows: props.sessions.map((s) => [
          s.sessionId,
          s.createdBy,
          s.status,
          formatCount(s.failed),
          formatCount(s.totalFiles),
          formatShare(s.failed, s.totalFiles),
        ]),
      }}
    >
      <BarChart
        id="sessions-svg"
        title={title}
        desc={
          props.sessions.map((s) => `${s.sessionId}: ${formatCount(s.failed)} failed`).join(', ') || 'none'
        }
        color={SESSION_COLOR}
        bars={props.sessions.map((s) => ({
          label: label(s),
          value: s.failed,
          hint: `${s.sessionId} (${s.createdBy}, ${s.status}): ${formatCount(s.failed)} of ${formatCount(s.totalFiles)} files failed`,
        }))}
      />
    </ChartFigure>
  );
}
