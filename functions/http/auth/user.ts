/**
 * The caller as the app sees it, whatever proved who they are (a session cookie, a bearer
 * token, or nobody when sign-in is off), and what they may do in which workspace.
 */

/** How the caller was recognized: `iam` means the Function URL checked SigV4; `open`, nobody did (local). */
export type UserSource = 'session' | 'bearer' | 'iam' | 'open';

export interface User {
  /** The stable subject (`sub`), the IAM caller's ARN, or `anonymous` when sign-in is off. */
  id: string;
  /** What to show: email, username or name, else the subject. */
  displayName: string;
  /** Group names from the groups claim (empty when sign-in is off). */
  groups: string[];
  source: UserSource;
}

/** Groups granting every workspace. */
export const READERS_GROUP = 'reports-readers';
export const RUNNERS_GROUP = 'reports-runners';

/** The caller when sign-in is off: may read and run everything. */
export const OPEN_USER: User = { id: 'anonymous', displayName: 'anonymous', groups: [], source: 'open' };

export type Action = 'read' | 'run';

/** The groups, any one of which allows `action` on `workspace`. */
export function groupsAllowing(action: Action, workspace: string): string[] {
  const runners = [RUNNERS_GROUP, `${RUNNERS_GROUP}:${workspace}`];
  return action === 'run' ? runners : [READERS_GROUP, `${READERS_GROUP}:${workspace}`, ...runners];
}

/** The caller IAM let through (IAM policy decided; the app adds no groups). */
export function iamUser(callerArn: string | undefined): User {
  const id = callerArn ?? 'iam';
  return { id, displayName: callerArn ?? 'an IAM principal', groups: [], source: 'iam' };
}

/** Whether `user` may do `action` on `workspace`. */
export function may(user: User, action: Action, workspace: string): boolean {
  if (user.source === 'open' || user.source === 'iam') return true;
  const allowing = groupsAllowing(action, workspace);
  return user.groups.some((group) => allowing.includes(group));
}

/** Reads a groups claim: an array of strings, or one string (some providers send a single group so). */
export function groupsFromClaim(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (!Array.isArray(value)) return [];
  return value.filter((group): group is string => typeof group === 'string');
}

/** The name to show from standard claims. */
export function displayNameOf(claims: Record<string, unknown>, subject: string): string {
  for (const claim of ['email', 'preferred_username', 'username', 'name', 'cognito:username']) {
    const value = claims[claim];
    if (typeof value === 'string' && value.trim()) return value.trim().slice(0, 200);
  }
  return subject;
}
