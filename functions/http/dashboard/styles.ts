/** The dashboard's only stylesheet, inlined: the page loads nothing from anywhere. */
export const DASHBOARD_CSS = `
:root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --card: #fff; --bg: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 40px; }
header.page { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 24px; margin-bottom: 16px; }
header.page h1 { font-size: 24px; margin: 0; }
dl.meta { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0; color: var(--muted); }
dl.meta div { display: flex; gap: 6px; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; font-variant-numeric: tabular-nums; }
.totals { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin-bottom: 16px; }
.total { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.total .n { display: block; font-size: 24px; font-weight: 650; font-variant-numeric: tabular-nums; }
.total .k { color: var(--muted); font-size: 13px; }
.downloads { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 16px; }
.downloads h2 { font-size: 15px; margin: 0 8px 0 0; display: inline; }
.downloads ul { display: inline-flex; flex-wrap: wrap; gap: 6px 18px; list-style: none; margin: 0; padding: 0; }
a { color: #0b57d0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
figure.chart { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
figcaption h2 { font-size: 17px; margin: 0; }
figcaption p { margin: 2px 0 8px; color: var(--muted); font-size: 13px; }
figure svg { display: block; max-height: 320px; }
svg text { font: 13px system-ui, sans-serif; fill: var(--ink); }
svg text.big { font-size: 26px; font-weight: 650; }
svg text.value, svg text.axis { fill: var(--muted); font-variant-numeric: tabular-nums; }
svg text.axis { font-size: 12px; }
svg .grid line { stroke: var(--line); }
details { margin-top: 8px; font-size: 13px; }
summary { cursor: pointer; color: #0b57d0; }
table { border-collapse: collapse; margin-top: 6px; width: 100%; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
.empty { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 24px; max-width: 760px; }
.warning { color: #8a4b00; }
code { font-size: 13px; background: #eef2f7; padding: 1px 4px; border-radius: 4px; }
form.run { margin-left: auto; display: flex; gap: 8px; align-items: center; }
form.run button { font: inherit; padding: 4px 12px; border: 1px solid #0b57d0; border-radius: 6px; background: #0b57d0; color: #fff; cursor: pointer; }
.panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; margin-bottom: 16px; }
.panels:empty { display: none; }
section.panel { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; min-width: 0; }
section.panel h2 { font-size: 17px; margin: 0 0 4px; }
section.panel p { margin: 4px 0 8px; }
section.panel .unavailable, section.panel .more { color: var(--muted); }
dl.counts { display: flex; flex-wrap: wrap; gap: 8px 28px; margin: 8px 0; }
dl.counts div { display: flex; flex-direction: column-reverse; }
dl.counts dt { color: var(--muted); font-size: 13px; }
dl.counts dd { margin: 0; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
dl.counts dd.note { font-size: 15px; font-weight: 400; color: var(--muted); line-height: 33px; }
figure.inline-chart { margin: 8px 0; }
figure.inline-chart h3 { font-size: 15px; margin: 0 0 4px; }
th.n, td.n { text-align: right; }
td.age { white-space: nowrap; }
footer { margin-top: 20px; color: var(--muted); font-size: 13px; }
`;
