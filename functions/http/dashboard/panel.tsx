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

/** Headline numbers as a description list: the label under a large value. */
export function CountList(props: { counts: [string, string][] }) {
  return (
    <dl class="counts">
      {props.counts.map(([label, value]) => (
        <div>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
