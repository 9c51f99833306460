/**
 * A complete HTML page and the response that carries it. Pages are self-contained (inline CSS,
 * inline SVG, one inline script allowed by its hash), so the Content-Security-Policy forbids
 * loading anything at all.
 */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { RUN_NOW_SCRIPT_SOURCE } from './dashboard/run-now-script';

// Forms may post to this app only (the dashboard's run button); the one script that may run is
// the run button's, by its hash, and it may fetch from this app only.
export const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; " +
  `script-src ${RUN_NOW_SCRIPT_SOURCE}; connect-src 'self'`;

/** `<!doctype html>` and a document with an inline stylesheet. */
export function HtmlPage(props: { title: string; css: string; children: Child }) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title}</title>
          <style>{raw(props.css)}</style>
        </head>
        <body>{props.children}</body>
      </html>
    </>
  );
}

/** An HTML response (200 unless told) with the page's security headers. */
export async function htmlResponse(
  c: Context,
  page: ReturnType<typeof HtmlPage>,
  status: 200 | 400 | 403 = 200,
): Promise<Response> {
  c.header('Content-Security-Policy', PAGE_CSP);
  c.header('Cache-Control', 'no-store');
  return c.html(await page.toString(), status);
}
