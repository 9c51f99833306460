/**
 * Where a workspace's run lease lives: `<workspace>/run.lease`, beside latest.json. One lease
 * per workspace means one run at a time per workspace, whoever starts it (HTTP, nightly, CLI).
 */
import { assertWorkspaceName } from './workspace-name';

export function runLeaseKey(workspace: string): string {
  return `${assertWorkspaceName(workspace)}/run.lease`;
}
