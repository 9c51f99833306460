/**
 * The frame every chart shares: a <figure> labelled by its caption, the SVG (labelled by its
 * own <title>), and the same data as a table inside <details>, for screen readers and for
 * anyone who wants the exact numbers.
 */
import type { Child } from 'hono/jsx';

/** A chart's data as a table. */
export interface TableData {
  columns: string[];
  rows: (string | number)[][];
}

/** Ids derived from the chart id, so the svg, caption and table refer to each other. */
export function chartIds(id: string) {
  return { caption: `${id}-caption`, title: `${id}-title`, desc: `${id}-desc` };
}

/** A captioned chart with a table fallback. */
export function ChartFigure(props: {
  id: string;
  title: string;
  description: string;
  table: TableData;
  children: Child;
}) {
  const ids = chartIds(props.id);
  return (
    <figure id={props.id} class="chart" aria-labelledby={ids.caption}>
      <figcaption id={ids.caption}>
        <h2>{props.title}</h2>
        <p>{props.description}</p>
      </figcaption>
      {props.children}
      <details>
        <summary>Show as a table</summary>
        <table>
          <caption>{props.title}</caption>
          <thead>
            <tr>
              {props.table.columns.map((column) => (
                <th scope="col">{column}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.table.rows.map((row) => (
              <tr>
                {row.map((cell, index) => (index === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}

/** The <svg> of a chart: an image labelled by its <title> and described by its <desc>. */
export function ChartSvg(props: {
  id: string;
  title: string;
  desc: string;
  width: number;
  height: number;
  children: Child;
}) {
  const ids = chartIds(props.id);
  return (
    <svg
      role="img"
      aria-labelledby={`${ids.title} ${ids.desc}`}
      viewBox={`0 0 ${props.width} ${props.height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={ids.title}>{props.title}</title>
      <desc id={ids.desc}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}
