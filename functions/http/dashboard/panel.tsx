/** The frame of a dashboard panel (a titled section) and its row of headline counts. */
import type { Child } from 'hono/jsx';

/** A card-like section labelled by its heading; `id` names it for links and tests (`<id>-panel`). */
export function Panel(props: { id: string; title: string; children: Child }) {
  return (
    <section class="panel" id={`${props.id}-panel`} aria-labelledby={`${props.id}-title`}>
      <h2 id={`${props.id}-title`}>{props.title}</h2>
      {props.children}
    </section>
  );
}

/** A headline number, or a note in its place saying why there is none. */
export type CountValue = string | { note: string };

/** Headline numbers as a description list: the label under a large value. */
export function CountList(props: { counts: [string, CountValue][] }) {
  return (
    <dl class="counts">
      {props.counts.map(([label, value]) => (
        <div>
          <dt>{label}</dt>
          {typeof value === 'string' ? <dd>{value}</dd> : <dd class="note">{value.note}</dd>}
        </div>
      ))}
    </dl>
  );
}
