/** Files per run (bars, left axis) and failure rate per run (line, right axis) over the last runs. */
import { ChartFigure, ChartSvg } from './chart-figure';
import { FAILURE_COLOR, FILES_COLOR } from './colors';
import { formatCount, formatInstant, formatShare, formatShortInstant } from './format';
import { niceMax, ticks } from './nice-scale';
import { TREND_RUNS, type TrendPoint } from './trend';

const WIDTH = 600;
const HEIGHT = 300;
const PLOT = { left: 56, right: WIDTH - 52, top: 34, bottom: HEIGHT - 62 };
const MAX_BAR = 36;

/** The trend of the last complete runs, oldest on the left. */
export function TrendChart(props: { points: TrendPoint[] }) {
  const runs = props.points.length === 1 ? 'complete run' : `${props.points.length} complete runs`;
  const title = `Trend over the last ${runs} (up to ${TREND_RUNS})`;
  const desc = props.points
    .map(
      (p) =>
        `${formatInstant(p.startedAt)}: ${formatCount(p.files)} files, ${formatShare(p.failed, p.files)} failed`,
    )
    .join('; ');
  return (
    <ChartFigure
      id="trend-chart"
      title={title}
      description="Bars: files per run (left axis). Line: share of files that failed (right axis)."
      table={{
        columns: ['Run', 'Started', 'Files', 'Failed', 'Failure rate'],
        rows: props.points.map((p) => [
          p.runId,
          formatInstant(p.startedAt),
          formatCount(p.files),
          formatCount(p.failed),
          formatShare(p.failed, p.files),
        ]),
      }}
    >
      <ChartSvg id="trend-svg" title={title} desc={desc} width={WIDTH} height={HEIGHT}>
        <TrendPlot points={props.points} />
      </ChartSvg>
    </ChartFigure>
  );
}

function TrendPlot(props: { points: TrendPoint[] }) {
  const { points } = props;
  const filesMax = niceMax(Math.max(...points.map((p) => p.files), 0));
  const rateMax = niceMax(Math.max(...points.map((p) => p.failureRate * 100), 0));
  const slot = (PLOT.right - PLOT.left) / Math.max(1, points.length);
  const barWidth = Math.min(MAX_BAR, slot * 0.6);
  const x = (i: number) => PLOT.left + slot * (i + 0.5);
  const y = (fraction: number) => PLOT.bottom - fraction * (PLOT.bottom - PLOT.top);
  const line = points.map((p, i) => `${x(i).toFixed(1)},${y((p.failureRate * 100) / rateMax).toFixed(1)}`);
  return (
    <g>
      <Legend />
      {ticks(1).map((fraction) => (
        <g class="grid">
          <line x1={PLOT.left} x2={PLOT.right} y1={y(fraction)} y2={y(fraction)} />
          <text x={PLOT.left - 8} y={y(fraction)} text-anchor="end" dominant-baseline="middle" class="axis">
            {formatCount(Math.round(fraction * filesMax))}
          </text>
          <text x={PLOT.right + 8} y={y(fraction)} dominant-baseline="middle" class="axis">
            {`${(fraction * rateMax).toFixed(rateMax < 4 ? 1 : 0)} %`}
          </text>
        </g>
      ))}
      {points.map((p, i) => (
        <g class="bar">
          <title>{`${p.runId}: ${formatCount(p.files)} files, ${formatCount(p.failed)} failed (${formatShare(p.failed, p.files)})`}</title>
          <rect
            x={(x(i) - barWidth / 2).toFixed(1)}
            width={barWidth.toFixed(1)}
            y={y(p.files / filesMax).toFixed(1)}
            height={(PLOT.bottom - y(p.files / filesMax)).toFixed(1)}
            fill={FILES_COLOR}
            opacity="0.75"
          />
          <text
            transform={`translate(${x(i).toFixed(1)} ${PLOT.bottom + 14}) rotate(-35)`}
            text-anchor="end"
            class="axis"
          >
            {formatShortInstant(p.startedAt)}
          </text>
        </g>
      ))}
      <polyline points={line.join(' ')} fill="none" stroke={FAILURE_COLOR} stroke-width="2.5" />
      {points.map((p, i) => (
        <circle cx={x(i)} cy={y((p.failureRate * 100) / rateMax)} r="4" fill={FAILURE_COLOR}>
          <title>{`${p.runId}: ${formatShare(p.failed, p.files)} failed`}</title>
        </circle>
      ))}
    </g>
  );
}

function Legend() {
  return (
    <g transform={`translate(${PLOT.left} 14)`} class="label">
      <rect width="14" height="14" y="-11" fill={FILES_COLOR} opacity="0.75" />
      <text x="20">Files per run</text>
      <line x1="140" x2="164" y1="-4" y2="-4" stroke={FAILURE_COLOR} stroke-width="2.5" />
      <text x="170">Failure rate</text>
    </g>
  );
}
