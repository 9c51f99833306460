/**
 * Workspace names reach S3 keys and the upstream URL, so they are checked before either:
 * the design's pattern, which already rules out traversal (`..`, `/`, `%2F`), control
 * characters, unicode look-alikes and overlong names.
 */
export const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export class InvalidWorkspaceError extends Error {
  override name = 'InvalidWorkspaceError';
}

export function assertWorkspaceName(value: string): string {
  if (WORKSPACE_PATTERN.test(value)) return value;
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  throw new InvalidWorkspaceError(
    `invalid workspace name ${quoteForTerminal(shown)}: use 1-128 letters, digits, "_" or "-", starting with a letter or digit`,
  );
}

/**
 * Quotes text for an error line. JSON.stringify escapes C0 controls but leaves DEL, the C1
 * controls (U+009B starts an escape sequence on 8-bit terminals) and bidi/zero-width marks.
 */
export function quoteForTerminal(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
