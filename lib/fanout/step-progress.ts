/**
 * How far each step of a fan-out run got, while the run goes on. The workers run at once, so
 * none of them may rewrite the run's one status.json: each step keeps its own small object
 * (`progress-<batch>.json`, `progress-plan.json`), and whoever reads the run's status adds them
 * up. An object only ever grows: every write is read, raised field by field to the higher of
 * the two, and written back on the version it read, so a retried batch starting again from
 * zero, or a duplicate attempt running beside it, never makes the sum go back.
 */
import { z } from 'zod';
import { JSON_CONTENT_TYPE, jsonText, parseStoredJson } from '../store/content';
import type { ReportStore } from '../store/store';
import { progressPrefix } from './layout';

const count = z.number().int().nonnegative();

export const StepProgress = z.object({
  /** The sessions the plan listed (the plan's object only). */
  sessions_total: count.optional(),
  /** Sessions whose rows are written, counted as the summary counts them. */
  sessions_done: count,
  /** Files of those sessions, as the summary counts them. */
  files_seen: count,
  /** API requests and retries of every attempt of the step so far. */
  requests: count,
  retries: count,
});
export type StepProgress = z.infer<typeof StepProgress>;

/** A step that has not started. */
export const NO_PROGRESS: StepProgress = { sessions_done: 0, files_seen: 0, requests: 0, retries: 0 };

/** The run's progress, added up over its steps (the shape of status.json's `progress`). */
export interface FanoutProgress {
  sessions_total: number | null;
  sessions_done: number;
  files_seen: number;
  requests: number;
}

/** Conditional writes lost to another writer before giving up (the next write tries again). */
const WRITE_ATTEMPTS = 4;

/** The stored object at `key`; undefined when absent or damaged. */
export async function readStepProgress(store: ReportStore, key: string): Promise<StepProgress | undefined> {
  const stored = await store.read(key);
  return stored ? parseProgress(stored.body) : undefined;
}

/**
 * Raises the object at `key` to at least `progress`, field by field. Best effort: false when
 * other writers kept winning (or the store failed); the step's next write catches up.
 */
export async function raiseStepProgress(
  store: ReportStore,
  key: string,
  progress: StepProgress,
): Promise<boolean> {
  try {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const stored = await store.read(key);
      const current = stored ? parseProgress(stored.body) : undefined;
      const raised = current ? higherOf(current, progress) : progress;
      if (current && jsonText(raised) === jsonText(current)) return true;
      const body = jsonText(raised);
      if (await store.writeIfUnchanged(key, body, stored?.version, { contentType: JSON_CONTENT_TYPE })) {
        return true;
      }
    }
  } catch {
    // A progress write never fails the step: the report is what counts.
  }
  return false;
}

/** Every step's progress of the run folder `prefix`, added up; undefined when there is none. */
export async function readFanoutProgress(
  store: ReportStore,
  prefix: string,
): Promise<FanoutProgress | undefined> {
  const keys = await store.list(progressPrefix(prefix));
  if (keys.length === 0) return undefined;
  const steps = await Promise.all(keys.map((key) => readStepProgress(store, key)));
  const sum: FanoutProgress = { sessions_total: null, sessions_done: 0, files_seen: 0, requests: 0 };
  for (const step of steps) {
    if (!step) continue;
    if (step.sessions_total !== undefined) sum.sessions_total = step.sessions_total;
    sum.sessions_done += step.sessions_done;
    sum.files_seen += step.files_seen;
    sum.requests += step.requests;
  }
  return sum;
}

function higherOf(a: StepProgress, b: StepProgress): StepProgress {
  const total = Math.max(a.sessions_total ?? -1, b.sessions_total ?? -1);
  return {
    ...(total >= 0 ? { sessions_total: total } : {}),
    sessions_done: Math.max(a.sessions_done, b.sessions_done),
    files_seen: Math.max(a.files_seen, b.files_seen),
    requests: Math.max(a.requests, b.requests),
    retries: Math.max(a.retries, b.retries),
  };
}

/** A damaged object reads as absent (and is replaced by the next write). */
function parseProgress(body: string): StepProgress | undefined {
  return parseStoredJson(StepProgress, body);
}
