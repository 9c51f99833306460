/**
 * The most of an upstream body that any error we create may carry: a one-line excerpt of at
 * most 200 characters, for logs only (messages callers see are built without it). Bodies can be
 * huge, hostile (proxy pages, tracebacks, terminal escape sequences) or echo our key, so markup
 * and scripts are dropped, the key and bearer tokens redacted, line breaks and tabs become
 * spaces and every other control, bidi or zero-width character is escaped as `\uXXXX`.
 */

export const EXCERPT_MAX_CHARS = 200;

/** Looking further into a body than this never changes a 200-character excerpt of its text. */
const SCAN_MAX_CHARS = 20_000;

export function excerpt(text: string, secret = ''): string {
  const cleaned = redact(text.slice(0, SCAN_MAX_CHARS), secret)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/Bearer\s+\S+/gi, 'Bearer [redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return cut(escapeControls(cleaned), EXCERPT_MAX_CHARS);
}

/** `text` cut to `max` characters (an ellipsis included), never inside an escape. */
export function cut(text: string, max: number = EXCERPT_MAX_CHARS): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1).replace(/\\(u[0-9a-f]{0,3})?$/, '');
  return `${head}…`;
}

function escapeControls(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
