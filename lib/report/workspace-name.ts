/**
 * Workspace names reach S3 keys and the upstream URL, so they are checked before either:
 * 1-128 ASCII letters, digits, `_` or `-`, starting with a letter or digit. That alone rules
 * out traversal (`..`, `/`, `%2F`), control characters, unicode look-alikes and overlong names.
 */
export const WORKSPACE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;
export const MAX_WORKSPACE_LENGTH = 128;

// Checked in this order, so a name gets the most telling message (`..%2F` is "slashes").
const WORKSPACE_RULES: [(name: string) => boolean, string][] = [
  [(name) => name.length > MAX_WORKSPACE_LENGTH, `must be at most ${MAX_WORKSPACE_LENGTH} characters long`],
  [(name) => /[/\\]/.test(name), 'must not contain slashes (encoded or not)'],
  [(name) => name.includes('..'), 'must not contain ".."'],
  [(name) => name.includes('%'), 'must not contain percent-encoded characters'],
  [(name) => /[\u0000-\u001f\u007f-\u009f]/.test(name), 'must not contain control characters'],
  [(name) => /[^\x00-\x7f]/.test(name), 'must use ASCII letters only (non-ASCII look-alikes are rejected)'],
];

/**
 * Why `name` is not an acceptable workspace name, or undefined when it is: the specific
 * message for each way a name can be dangerous (the HTTP parameters answer with it).
 */
export function workspaceNameProblem(name: string): string | undefined {
  for (const [breaks, message] of WORKSPACE_RULES) if (breaks(name)) return message;
  if (!WORKSPACE_PATTERN.test(name)) {
    return 'must be 1-128 letters, digits, "_" or "-", starting with a letter or digit';
  }
  return undefined;
}

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
