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
  const shown = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  throw new InvalidWorkspaceError(
    `invalid workspace name ${shown}: use 1-128 letters, digits, "_" or "-", starting with a letter or digit`,
  );
}
