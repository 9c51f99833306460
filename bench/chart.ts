/**
 * The wall-time chart (bench/results/wall-time.svg): wall time against workspace size for
 * ours, the naive script and the bound, log-log, as one self-contained SVG (no fonts, scripts
 * or links to load).
 */
import type { ChartPoint } from './scaling-sections';

const WIDTH = 760;
const HEIGHT = 460;
const MARGIN = { left: 70, right: 190, top: 50, bottom: 60 };
const COLORS = { ours: '#1f6feb', naive: '#d1242f', bound: '#6e7781' };
const NICE = [1, 2, 5];

export interface ChartLabels {
  latencyMs: number;
  concurrency: number;
  /** e.g. the date and machine, in the subtitle. */
  note: string;
}

export function wallTimeChart(points: readonly ChartPoint[], labels: ChartLabels): string {
  const xs = points.map((p) => p.files);
  const ys = points.flatMap((p) => [p.oursMs, p.naiveMs, p.boundMs]).map((ms) => ms / 1000);
  const x = logScale(Math.min(...xs) / 1.4, Math.max(...xs) * 1.4, MARGIN.left, WIDTH - MARGIN.right);
  const y = logScale(Math.min(...ys) / 1.6, Math.max(...ys) * 1.6, HEIGHT - MARGIN.bottom, MARGIN.top);
  const series = (pick: (p: ChartPoint) => number) =>
    points.map((p) => [x(p.files), y(pick(p) / 1000)] as const);
  const measuredNaive = points.filter((p) => !p.naiveExtrapolated);
  const lastMeasured = measuredNaive.length;
  const naive = series((p) => p.naiveMs);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="16" font-weight="bold">Wall time against workspace size</text>`,
    `<text x="${MARGIN.left}" y="40" fill="#57606a">API latency ${labels.latencyMs} ms, concurrency ${labels.concurrency}, log-log; ${escapeXml(labels.note)}</text>`,
    ...grid(x, y),
    polyline(
      series((p) => p.boundMs),
      COLORS.bound,
      '6 4',
    ),
    polyline(naive.slice(0, lastMeasured), COLORS.naive),
    polyline(naive.slice(Math.max(0, lastMeasured - 1)), COLORS.naive, '3 4'),
    polyline(
      series((p) => p.oursMs),
      COLORS.ours,
    ),
    ...points.map((p, i) => dot(naive[i]!, COLORS.naive, p.naiveExtrapolated)),
    ...series((p) => p.oursMs).map((xy) => dot(xy, COLORS.ours, false)),
    ...legend(points, labels),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

/** Value to pixel, with the domain it covers. */
type Scale = ((value: number) => number) & { min: number; max: number };

function logScale(min: number, max: number, from: number, to: number): Scale {
  const [a, b] = [Math.log10(min), Math.log10(max)];
  const map = (value: number) => from + ((Math.log10(value) - a) / (b - a)) * (to - from);
  return Object.assign(map, { min, max });
}

function niceTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let power = Math.floor(Math.log10(min)); power <= Math.ceil(Math.log10(max)); power++) {
    for (const n of NICE) {
      const value = n * 10 ** power;
      if (value >= min && value <= max) ticks.push(value);
    }
  }
  return ticks;
}

function grid(x: Scale, y: Scale): string[] {
  const [left, right, top, bottom] = [MARGIN.left, WIDTH - MARGIN.right, MARGIN.top, HEIGHT - MARGIN.bottom];
  const out = [
    `<rect x="${left}" y="${top}" width="${right - left}" height="${bottom - top}" fill="none" stroke="#d0d7de"/>`,
  ];
  for (const files of niceTicks(x.min, x.max)) {
    const px = x(files).toFixed(1);
    out.push(`<line x1="${px}" y1="${top}" x2="${px}" y2="${bottom}" stroke="#eaeef2"/>`);
    out.push(
      `<text x="${px}" y="${bottom + 18}" text-anchor="middle" fill="#57606a">${formatFiles(files)}</text>`,
    );
  }
  for (const s of niceTicks(y.min, y.max)) {
    const py = y(s).toFixed(1);
    out.push(`<line x1="${left}" y1="${py}" x2="${right}" y2="${py}" stroke="#eaeef2"/>`);
    out.push(
      `<text x="${left - 8}" y="${py}" dy="4" text-anchor="end" fill="#57606a">${s < 1 ? s.toFixed(1) : s} s</text>`,
    );
  }
  out.push(
    `<text x="${(left + right) / 2}" y="${HEIGHT - 18}" text-anchor="middle">files in the workspace</text>`,
  );
  out.push(
    `<text transform="translate(18 ${(top + bottom) / 2}) rotate(-90)" text-anchor="middle">wall time (process start to exit)</text>`,
  );
  return out;
}

function polyline(points: readonly (readonly [number, number])[], color: string, dash?: string): string {
  if (points.length < 2) return '';
  const coords = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
  const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
  return `<polyline points="${coords}" fill="none" stroke="${color}" stroke-width="2"${dashed}/>`;
}

function dot([px, py]: readonly [number, number], color: string, hollow: boolean): string {
  const fill = hollow ? '#ffffff' : color;
  return `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4" fill="${fill}" stroke="${color}" stroke-width="2"/>`;
}

function legend(points: readonly ChartPoint[], { latencyMs, concurrency }: ChartLabels): string[] {
  const left = WIDTH - MARGIN.right + 16;
  const extrapolated = points.filter((p) => p.naiveExtrapolated);
  const entries: [string, string, string | undefined][] = [
    ['naive sequential script', COLORS.naive, undefined],
    ['ours (mode full)', COLORS.ours, undefined],
    [`bound: R × ${latencyMs} ms / ${concurrency}`, COLORS.bound, '6 4'],
  ];
  const out = entries.map(([label, color, dash], i) => {
    const py = MARGIN.top + 14 + i * 22;
    const dashed = dash ? ` stroke-dasharray="${dash}"` : '';
    return `<line x1="${left}" y1="${py}" x2="${left + 24}" y2="${py}" stroke="${color}" stroke-width="2"${dashed}/><text x="${left + 30}" y="${py}" dy="4">${label}</text>`;
  });
  if (extrapolated.length > 0) {
    const py = MARGIN.top + 14 + entries.length * 22 + 8;
    const from = formatFiles(Math.min(...extrapolated.map((p) => p.files)));
    out.push(
      `<circle cx="${left + 12}" cy="${py}" r="4" fill="#ffffff" stroke="${COLORS.naive}" stroke-width="2"/>` +
        `<text x="${left + 30}" y="${py}" dy="4">naive, extrapolated</text>` +
        `<text x="${left + 30}" y="${py + 16}" dy="4" fill="#57606a" font-size="11">(from ${from} files: R × its</text>` +
        `<text x="${left + 30}" y="${py + 30}" dy="4" fill="#57606a" font-size="11">measured time per request)</text>`,
    );
  }
  return out;
}

function formatFiles(files: number): string {
  if (files >= 1e6) return `${+(files / 1e6).toFixed(1)}M`;
  if (files >= 1e3) return `${+(files / 1e3).toFixed(0)}k`;
  return String(files);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
