/**
 * Shared by the emulator's conformance tests: plain fetch against a real emulator on
 * 127.0.0.1 port 0, and an ordering written independently of emulator/sort.ts.
 */
import type { EmulatorFile, EmulatorSession } from '../../emulator/dataset';
import type { RunningEmulator } from '../../emulator/server';

export const KEY = 'test-key-not-a-secret';
export const AUTH = { authorization: `Bearer ${KEY}` };
/** A fixed "now", so the data does not change when the suite runs across midnight. */
export const NOW = new Date('2026-11-20T00:00:00Z');

/** An answer, parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API sent and assert on it
  body: any;
}

/** GET `path` (below /api/v1) with `query`; authenticated unless headers say otherwise. */
export async function get(
  emulator: Pick<RunningEmulator, 'url'>,
  path: string,
  query: Record<string, string | number | boolean> = {},
  headers: Record<string, string> = AUTH,
): Promise<Answer> {
  const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
  const suffix = search.size > 0 ? `?${search}` : '';
  const response = await fetch(`${emulator.url}${path}${suffix}`, { headers });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

export const sessionsPath = (workspace = 'demo') => `/workspaces/${workspace}/upload_sessions`;
export const filesPath = (sessionId: string, workspace = 'demo') =>
  `/workspaces/${workspace}/upload_sessions/${sessionId}/files`;

/** The sessions of a workspace in the emulator's live dataset. */
export function sessionsOf(emulator: RunningEmulator, workspace = 'demo'): EmulatorSession[] {
  const sessions = emulator.dataset.workspaces.get(workspace);
  if (!sessions) throw new Error(`no workspace ${workspace}`);
  return sessions;
}

/** The first session with exactly `count` files, or the one closest to it. */
export function sessionWithFiles(emulator: RunningEmulator, count: number): EmulatorSession {
  const sessions = [...sessionsOf(emulator)];
  sessions.sort((a, b) => Math.abs(a.files.length - count) - Math.abs(b.files.length - count));
  return sessions[0]!;
}

type Value = number | string | null;

/** Microseconds since the epoch, by hand: "YYYY-MM-DDTHH:MM:SS[.ffffff]Z". */
export function micros(timestamp: string | null): number | null {
  if (timestamp === null) return null;
  const match = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?Z$/.exec(timestamp);
  if (!match) throw new Error(`unexpected timestamp ${timestamp}`);
  const [, y, mo, d, h, mi, s, f] = match;
  const seconds = Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!) / 1000;
  return seconds * 1e6 + Number((f ?? '').padEnd(6, '0'));
}

/** Code-point comparison by decoding both strings fully (independent of the emulator's shortcut). */
function compareStrings(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/**
 * The order the API promises, written out per direction: NULLs last in ASC and first in DESC,
 * ties broken by ID in the same direction.
 */
export function expectedOrder<T>(
  items: T[],
  value: (item: T) => Value,
  id: (item: T) => string,
  order: 'ASC' | 'DESC',
) {
  const sign = order === 'ASC' ? 1 : -1;
  const compare = (a: T, b: T): number => {
    const [va, vb] = [value(a), value(b)];
    if (va === null && vb !== null) return order === 'ASC' ? 1 : -1;
    if (vb === null && va !== null) return order === 'ASC' ? -1 : 1;
    if (va !== null && vb !== null && va !== vb) {
      return (
        sign * (typeof va === 'number' ? va - (vb as number) : compareStrings(va as string, vb as string))
      );
    }
    return sign * compareStrings(id(a), id(b));
  };
  return [...items].sort(compare).map(id);
}

/** How the API orders sessions by `field`. */
export function sessionValue(field: string): (session: EmulatorSession) => Value {
  const values: Record<string, (session: EmulatorSession) => Value> = {
    created_at: (s) => micros(s.created_at),
    expires_at: (s) => micros(s.expires_at),
    file_count: (s) => s.files.length,
    status: (s) => s.status,
    write_mode: (s) => s.write_mode,
    name: () => 'same for all',
    ingestion_status_reason: () => 'same for all',
  };
  return values[field]!;
}

/** How the API orders files by `field` (`created_at` is hidden from the response). */
export function fileValue(field: string): (file: EmulatorFile) => Value {
  const values: Record<string, (file: EmulatorFile) => Value> = {
    created_at: (f) => micros(f.created_at),
    ingestion_status: (f) => f.ingestion_status,
    ingestion_status_reason: (f) => f.ingestion_status_reason,
    name: (f) => f.name,
  };
  return values[field]!;
}

export const sessionIdOf = (s: { session_id: string }) => s.session_id;
export const fileIdOf = (f: { file_ingestion_id: string }) => f.file_ingestion_id;

/** Walks every page by page_number and returns the IDs in the order served. */
export async function walkPages(
  emulator: RunningEmulator,
  path: string,
  query: Record<string, string | number>,
  // biome-ignore lint/suspicious/noExplicitAny: entries are sessions or files, as served
  idOf: (entry: any) => string,
): Promise<{ ids: string[]; requests: number }> {
  const ids: string[] = [];
  let requests = 0;
  for (let page = 1; ; page++) {
    const answer = await get(emulator, path, { ...query, page_number: page });
    requests++;
    if (answer.status !== 200) throw new Error(`page ${page}: ${answer.status} ${answer.text}`);
    ids.push(...answer.body.data.map(idOf));
    if (!answer.body.has_more) return { ids, requests };
  }
}
