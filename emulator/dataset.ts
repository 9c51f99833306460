/**
 * The emulator's data: workspaces of upload sessions and their files, generated
 * deterministically from a seed. Tests may mutate it between requests; they call `touch`
 * afterwards so the server drops its cached sorted views.
 */
import type { FileCounters } from './generate-files';
import { generateSession, generateUsers, planSessionSizes, type SessionContext } from './generate-sessions';
import { createRandom } from './random';
import type { EmulatorSession } from './records';

export type { EmulatorFile, EmulatorSession } from './records';

/** Sessions by workspace name. */
export interface Dataset {
  workspaces: Map<string, EmulatorSession[]>;
  /** Bumped on every mutation (see `touch`), to invalidate the server's caches. */
  version: number;
}

/** How to generate a dataset. */
export interface DatasetOptions {
  /** PRNG seed; default 1. */
  seed?: number;
  /** Workspace name; default 'demo'. */
  workspace?: string;
  /** Number of sessions; default 40. */
  sessions?: number;
  /** Files in the largest session (one session always has exactly this many); default 3000. */
  maxFiles?: number;
  /** The dataset's "now"; default today 00:00 UTC, so data is stable within a day and statuses match the clock. */
  now?: Date;
  /** Also emit values the docs do not list: status ARCHIVED, write_mode APPEND, file status QUEUED, reason VIRUS_DETECTED. */
  unknownEnums?: boolean;
}

/** Midnight UTC of the current day. */
export function startOfTodayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * Generates a dataset. Same options, same data (byte for byte).
 *
 * @example generateDataset({ seed: 7, sessions: 5, maxFiles: 250 })
 */
export function generateDataset(options: DatasetOptions = {}): Dataset {
  const random = createRandom(options.seed ?? 1);
  const sizes = planSessionSizes(random, options.sessions ?? 40, options.maxFiles ?? 3000);
  const counters: FileCounters = { files: 0, failed: 0, nastyNamesUsed: 0, queued: 0 };
  const context: SessionContext = {
    random,
    unknownEnums: options.unknownEnums ?? false,
    counters,
    nowMicros: (options.now ?? startOfTodayUtc()).getTime() * 1000,
    users: generateUsers(random),
    unknownSessionValuesUsed: { status: false, writeMode: false },
  };
  const sessions = sizes.map((size, index) => generateSession(context, index, size));
  return { workspaces: new Map([[options.workspace ?? 'demo', sessions]]), version: 1 };
}

/** Marks the dataset as changed: call it after mutating sessions or files in a test. */
export function touch(dataset: Dataset): void {
  dataset.version++;
}

/** Total number of files in a workspace (for logs and the CLI banner). */
export function countFiles(sessions: readonly EmulatorSession[]): number {
  return sessions.reduce((sum, session) => sum + session.files.length, 0);
}
