/** Failed files by reason, largest first (reasons with no failures are left out of the bars). */
import type { ReportSummary } from '../../../lib/report/summary';
import { BarChart } from './bar-chart';
import { ChartFigure } from './chart-figure';
import { FAILURE_COLOR } from './colors';
import { formatCount, formatShare } from './format';

/** The failure-reason bars of a run. */
export function ReasonsChart(props: { summary: ReportSummary }) {
  const failed = props.summary.files.by_ingestion_status.FAILED ?? 0;
  const reasons = Object.entries(props.summary.files.failed_by_reason)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
  const title = 'Failures by reason';
  return (
    <ChartFigure
      id="reasons-chart"
      title={title}
      description={failed === 0 ? 'No failed files in this run.' : `${formatCount(failed)} failed files.`}
      table={{
        columns: ['Reason', 'Failed files', 'Share of failures'],
        rows: reasons.map(([reason, n]) => [reason, formatCount(n), formatShare(n, failed)]),
      }}
    >
      <BarChart
        id="reasons-svg"
        title={title}
        desc={reasons.map(([reason, n]) => `${reason}: ${formatCount(n)}`).join(', ') || 'no failures'}
        color={FAILURE_COLOR}
        bars={reasons.map(([reason, n]) => ({
          label: reason,
          value: n,
          hint: `${reason}: ${formatCount(n)} (${formatShare(n, failed)} of failures)`,
        }))}
      />
    </ChartFigure>
  );
}
