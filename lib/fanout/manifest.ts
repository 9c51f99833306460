/**
 * The manifest: the workspace's sessions, in report order, cut into batches. Each batch is one
 * Distributed Map item, i.e. one worker's input, so besides its number of files (the work) its
 * JSON size is bounded too: Step Functions refuses an item input over 256 KiB.
 */
import { z } from 'zod';
import { Session } from '../api/schemas';

/** One batch: the sessions `first..last` (inclusive indexes in report order) and their files. */
export const ManifestBatch = z.object({
  index: z.number().int().nonnegative(),
  first: z.number().int().nonnegative(),
  last: z.number().int().nonnegative(),
  /** Files in the batch's sessions when the plan counted them. */
  files: z.number().int().nonnegative(),
  sessions: z.array(Session).min(1),
  /**
   * What every batch judges stuck sessions by, so that all batches agree: the run's start (the
   * plan's, epoch ms) and the threshold in hours. Absent in manifests written before them.
   */
  run_started_at: z.number().optional(),
  stuck_after_hours: z.number().positive().optional(),
});
export type ManifestBatch = z.infer<typeof ManifestBatch>;

/** The manifest file: a JSON array of batches, in batch order (the ItemReader's input). */
export const Manifest = z.array(ManifestBatch);
export type Manifest = z.infer<typeof Manifest>;

/** How big a batch may grow. */
export interface BatchLimits {
  /** Files per batch (a session with more files gets a batch of its own). Default 50,000. */
  maxFiles: number;
  /** JSON bytes of a batch's sessions. Default 128 KiB, half of Step Functions' 256 KiB input limit. */
  maxBytes: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxFiles: 50_000, maxBytes: 128 * 1024 };

/**
 * Cuts `sessions` (in report order) into consecutive batches, each as large as the limits
 * allow; every session lands in exactly one batch, in order.
 *
 * @example splitIntoBatches(sessions, [30_000, 30_000, 10], DEFAULT_BATCH_LIMITS) // 2 batches: [0], [1, 2]
 */
export function splitIntoBatches(
  sessions: readonly Session[],
  fileCounts: readonly number[],
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): ManifestBatch[] {
  if (fileCounts.length !== sessions.length) {
    throw new RangeError(`${sessions.length} sessions but ${fileCounts.length} file counts`);
  }
  const batches: ManifestBatch[] = [];
  let current: ManifestBatch | undefined;
  let bytes = 1;
  sessions.forEach((session, index) => {
    const files = fileCounts[index]!;
    const size = Buffer.byteLength(JSON.stringify(session), 'utf8') + 1;
    if (current && (current.files + files > limits.maxFiles || bytes + size > limits.maxBytes)) {
      current = undefined;
    }
    if (!current) {
      current = { index: batches.length, first: index, last: index, files: 0, sessions: [] };
      batches.push(current);
      // The array's two brackets, less the comma its last session does not need.
      bytes = 1;
    }
    current.sessions.push(session);
    current.last = index;
    current.files += files;
    bytes += size;
  });
  return batches;
}
