/**
 * The one script of the dashboard: "Run now" starts a run without leaving the page, shows its
 * progress (sessions done of total, a bar) by polling the run status, and reloads the page with
 * the new numbers when it is complete; on 409 it follows the run already going. Without it the
 * button is still a plain form (the server answers a browser with 303). Inline and tiny, allowed
 * by its hash in the page's CSP, so no other script can run.
 */
import { createHash } from 'node:crypto';

export const RUN_NOW_SCRIPT = `(() => {
  const form = document.querySelector('form.run');
  if (!form) return;
  const bar = form.querySelector('progress');
  const out = form.querySelector('output');
  const button = form.querySelector('button');
  const json = { headers: { Accept: 'application/json' } };
  const show = (run) => {
    const p = run.progress;
    if (p.sessions_total) { bar.max = p.sessions_total; bar.value = p.sessions_done; } else bar.removeAttribute('value');
    out.textContent = p.sessions_done + ' of ' + (p.sessions_total === null ? '?' : p.sessions_total) + ' sessions';
  };
  const follow = async (url) => {
    bar.hidden = false;
    button.disabled = true;
    for (;;) {
      const run = await (await fetch(url, json)).json();
      show(run);
      if (run.status === 'complete') { location.reload(); return; }
      if (run.status === 'failed') { out.textContent = 'The run failed: ' + run.error.message; button.disabled = false; return; }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await fetch(form.action, { method: 'POST', ...json });
    const body = await answer.json();
    if (answer.status === 202) return follow(body.links.self);
    if (answer.status === 409) return follow(body.links.run);
    out.textContent = body.error ? body.error.message : 'The run could not be started';
  });
})();`;

/** The CSP source that allows exactly this script. */
export const RUN_NOW_SCRIPT_SOURCE = `'sha256-${createHash('sha256').update(RUN_NOW_SCRIPT).digest('base64')}'`;
