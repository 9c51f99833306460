/**
 * What the conformance tests learn from a target before asserting on it, since they cannot know
 * its data: pages (asserted 200), whole lists walked page by page, and a session with enough
 * files to page through. Results are kept per target, so a real API is asked once.
 */
import type { TestContext } from 'vitest';
import { fileIdOf } from '../helpers';
import { type ApiTarget, fetchFrom, filesPathOf, sessionsPathOf } from './targets';

/** An entry as served: a session or a file. */
// biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API sent and assert on it
export type Served = any;

/** A `{data, has_more, total}` page. */
export interface ServedPage {
  data: Served[];
  has_more: boolean;
  total: number;
}

/** Lists longer than this are not walked whole (a real workspace can be large). */
export const MAX_WALK = 1000;

/** GET one page; anything but 200 throws with the status and the start of the body. */
export async function pageOf(
  target: ApiTarget,
  path: string,
  query: Record<string, string | number> = {},
): Promise<ServedPage> {
  const answer = await fetchFrom(target, path, query);
  if (answer.status !== 200) throw new Error(`GET ${path}: ${answer.status} ${answer.text.slice(0, 300)}`);
  return answer.body;
}

/** Every entry of a list of at most MAX_WALK entries, by page_number, with the requests made. */
export async function walkAll(
  target: ApiTarget,
  path: string,
  query: Record<string, string | number> = {},
  limit = 100,
): Promise<{ entries: Served[]; requests: number; total: number }> {
  const entries: Served[] = [];
  for (let page = 1; ; page++) {
    const answer = await pageOf(target, path, { ...query, limit, page_number: page });
    if (answer.total > MAX_WALK) throw new Error(`GET ${path}: ${answer.total} entries, too many to walk`);
    entries.push(...answer.data);
    if (!answer.has_more) return { entries, requests: page, total: answer.total };
  }
}

/** The number of files in a session (a limit-0 page carries the total). */
export async function fileCount(target: ApiTarget, sessionId: string): Promise<number> {
  return (await pageOf(target, filesPathOf(target, sessionId), { limit: 0 })).total;
}

/** A session to page through: its ID and its files in the default order. */
export interface SampleSession {
  sessionId: string;
  path: string;
  fileIds: string[];
}

const samples = new WeakMap<ApiTarget, Promise<SampleSession | undefined>>();

/** Files the sample session must have: several pages of 10, not too many to walk. */
export const SAMPLE_FILES = { min: 25, max: MAX_WALK } as const;

/**
 * The first session (newest first, among the first 100) with SAMPLE_FILES files, walked;
 * undefined when the workspace has none.
 */
export function sampleSession(target: ApiTarget): Promise<SampleSession | undefined> {
  let sample = samples.get(target);
  if (!sample) {
    sample = findSample(target);
    samples.set(target, sample);
  }
  return sample;
}

async function findSample(target: ApiTarget): Promise<SampleSession | undefined> {
  const sessions = await pageOf(target, sessionsPathOf(target), { limit: 100 });
  for (const session of sessions.data) {
    const count = await fileCount(target, session.session_id);
    if (count < SAMPLE_FILES.min || count > SAMPLE_FILES.max) continue;
    const path = filesPathOf(target, session.session_id);
    const { entries } = await walkAll(target, path);
    return { sessionId: session.session_id, path, fileIds: entries.map(fileIdOf) };
  }
  return undefined;
}

/** The sample session, or the test skips saying the workspace has none. */
export async function requireSample(target: ApiTarget, context: TestContext): Promise<SampleSession> {
  const sample = await sampleSession(target);
  if (!sample)
    context.skip(`no session with ${SAMPLE_FILES.min}..${SAMPLE_FILES.max} files among the newest 100`);
  return sample;
}
