/** Horizontal bars with a label on the left and the value on the right (reasons, sessions). */
import { ChartSvg } from './chart-figure';
import { formatCount, truncate } from './format';

/** One bar. `hint` is the full text of the tooltip (labels are cut to fit). */
export interface Bar {
  label: string;
  value: number;
  hint: string;
}

const WIDTH = 600;
const ROW = 26;
const LABEL_WIDTH = 230;
const VALUE_WIDTH = 70;
const LABEL_CHARS = 27;

/** Bars in the given order, scaled to the largest value. */
export function BarChart(props: { id: string; title: string; desc: string; bars: Bar[]; color: string }) {
  const max = Math.max(1, ...props.bars.map((bar) => bar.value));
  const span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = Math.max(1, props.bars.length) * ROW + 8;
  return (
    <ChartSvg id={props.id} title={props.title} desc={props.desc} width={WIDTH} height={height}>
      {props.bars.map((bar, index) => {
        const y = 4 + index * ROW;
        const length = Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * span);
        return (
          <g class="bar">
            <title>{bar.hint}</title>
            <text
              x={LABEL_WIDTH - 8}
              y={y + ROW / 2}
              text-anchor="end"
              dominant-baseline="middle"
              class="label"
            >
              {truncate(bar.label, LABEL_CHARS)}
            </text>
            <rect
              x={LABEL_WIDTH}
              y={y + 4}
              width={length.toFixed(1)}
              height={ROW - 8}
              rx="2"
              fill={props.color}
            />
            <text x={LABEL_WIDTH + length + 6} y={y + ROW / 2} dominant-baseline="middle" class="value">
              {formatCount(bar.value)}
            </text>
          </g>
        );
      })}
    </ChartSvg>
  );
}
