/** Files by ingestion status: a donut with a legend (every status, including ones added later). */
import type { ReportSummary } from '../../../lib/report/summary';
import { ChartFigure, ChartSvg } from './chart-figure';
import { statusColor } from './colors';
import { formatCount, formatShare } from './format';

const RADIUS = 70;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/** The status donut of a run. */
export function StatusChart(props: { summary: ReportSummary }) {
  const counts = Object.entries(props.summary.files.by_ingestion_status);
  const total = props.summary.files.total;
  const title = 'Files by ingestion status';
  const desc = counts.map(([status, n]) => `${status}: ${formatCount(n)}`).join(', ');
  let offset = 0;
  return (
    <ChartFigure
      id="status-chart"
      title={title}
      description={`${formatCount(total)} files in ${formatCount(props.summary.sessions.total)} sessions.`}
      table={{
        columns: ['Status', 'Files', 'Share'],
        rows: counts.map(([status, n]) => [status, formatCount(n), formatShare(n, total)]),
      }}
    >
      <ChartSvg id="status-svg" title={title} desc={desc} width={480} height={200}>
        <g transform="translate(100 100) rotate(-90)">
          <circle r={RADIUS} fill="none" stroke="#e0e0e0" stroke-width="34" />
          {counts.map(([status, n], index) => {
            const length = total === 0 ? 0 : (n / total) * CIRCUMFERENCE;
            const segment = (
              <circle
                r={RADIUS}
                fill="none"
                stroke={statusColor(status, index)}
                stroke-width="34"
                stroke-dasharray={`${length.toFixed(2)} ${(CIRCUMFERENCE - length).toFixed(2)}`}
                stroke-dashoffset={(-offset).toFixed(2)}
              >
                <title>{`${status}: ${formatCount(n)} (${formatShare(n, total)})`}</title>
              </circle>
            );
            offset += length;
            return segment;
          })}
        </g>
        <text x="100" y="96" text-anchor="middle" class="big">
          {formatCount(total)}
        </text>
        <text x="100" y="116" text-anchor="middle" class="label">
          files
        </text>
        {counts.map(([status, n], index) => (
          <g transform={`translate(215 ${30 + index * 26})`}>
            <rect width="14" height="14" y="-11" rx="2" fill={statusColor(status, index)} />
            <text x="22" class="label">
              {status}
            </text>
            <text x="250" text-anchor="end" class="value">
              {`${formatCount(n)} · ${formatShare(n, total)}`}
            </text>
          </g>
        ))}
      </ChartSvg>
    </ChartFigure>
  );
}
