/**
 * The demo users of the local OpenID provider, one per kind of access the app knows: a reader of
 * every workspace, a runner of every workspace, and a reader of another workspace only. They
 * share one password, chosen at start (printed in the banner), checked in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export interface DemoUser {
  username: string;
  name: string;
  email: string;
  groups: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  { username: 'analyst', name: 'Ana Lyst', email: 'analyst@example.test', groups: ['reports-readers'] },
  { username: 'operator', name: 'Oper Ator', email: 'operator@example.test', groups: ['reports-runners'] },
  {
    username: 'outsider',
    name: 'Out Sider',
    email: 'outsider@example.test',
    groups: ['reports-readers:other'],
  },
];

export function findUser(username: string): DemoUser | undefined {
  return DEMO_USERS.find((user) => user.username === username);
}

/** The user when `username` exists and `password` is the demo password; undefined otherwise. */
export function checkLogin(username: string, password: string, demoPassword: string): DemoUser | undefined {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const passwordMatches = timingSafeEqual(digest(password), digest(demoPassword));
  const user = findUser(username);
  return user && passwordMatches ? user : undefined;
}

/** A machine client for scripts: client credentials give it a JWT access token in `reports-readers`. */
export const SCRIPT_CLIENT_ID = 'ingestion-reports-script';
export const SCRIPT_GROUPS = ['reports-readers'];
