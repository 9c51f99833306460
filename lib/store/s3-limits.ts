/**
 * S3's multipart rules and the part size the store uploads with, in one place: the S3 adapter,
 * the composition planner and the embedded S3's check of them all read these.
 */

/** S3's minimum size of every part but the last. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
/** S3's maximum number of parts of one upload. */
export const MAX_PARTS = 10_000;
/** S3's maximum size of one part (uploaded or copied). */
export const MAX_PART_BYTES = 5 * 1024 * 1024 * 1024;
/** The part size of streamed writes: S3's minimum, the least memory per part in flight (4 in flight = 20 MiB). */
export const PART_SIZE_BYTES = MIN_PART_BYTES;
