/**
 * How to assemble an object from pieces as an S3 multipart upload, copying large pieces inside
 * S3 (UploadPartCopy) and uploading the rest. S3's rules: every part but the last is at least
 * 5 MiB, at most 10,000 parts, a copied part at most 5 GiB.
 *
 * Greedy, one pass: pieces collect in an upload group; a piece of at least 5 MiB is copied
 * whenever the group before it is empty or already 5 MiB (then the group is uploaded first);
 * otherwise it joins the group, because a part below 5 MiB may only come last. So every part
 * but the last is at least 5 MiB by construction, and only the final group may be smaller.
 * (The report's first group is the header plus the first part file; later part files of 5 MiB
 * or more are copied.)
 */

import { MAX_PART_BYTES, MAX_PARTS, MIN_PART_BYTES } from './s3-limits';

/** A piece with its size in bytes: text (UTF-8) or a stored key. */
export type SizedPiece = { text: string; bytes: number } | { key: string; bytes: number };

/** One part of the planned upload. */
export type PlannedPart =
  | { kind: 'upload'; pieces: SizedPiece[]; bytes: number }
  | { kind: 'copy'; key: string; bytes: number };

/**
 * The parts, or undefined when copying gains nothing (no piece qualifies) or S3's limits
 * would be broken: then the caller streams the concatenation instead.
 *
 * @example
 * planComposition([{ text: 'h\r\n', bytes: 3 }, { key: 'a', bytes: 6 << 20 }, { key: 'b', bytes: 6 << 20 }])
 * // [{ kind: 'upload', pieces: [header, a], ... }, { kind: 'copy', key: 'b', ... }]
 */
export function planComposition(
  pieces: readonly SizedPiece[],
  minPartBytes = MIN_PART_BYTES,
): PlannedPart[] | undefined {
  const parts: PlannedPart[] = [];
  let group: SizedPiece[] = [];
  let groupBytes = 0;
  const flush = () => {
    if (group.length > 0) parts.push({ kind: 'upload', pieces: group, bytes: groupBytes });
    group = [];
    groupBytes = 0;
  };
  for (const piece of pieces) {
    if (piece.bytes === 0) continue;
    const copyable = 'key' in piece && piece.bytes >= minPartBytes;
    if (copyable && (groupBytes === 0 || groupBytes >= minPartBytes)) {
      flush();
      parts.push({ kind: 'copy', key: piece.key, bytes: piece.bytes });
    } else {
      group.push(piece);
      groupBytes += piece.bytes;
    }
  }
  flush();
  const copies = parts.filter((part) => part.kind === 'copy').length;
  const withinLimits = parts.length <= MAX_PARTS && parts.every((part) => part.bytes <= MAX_PART_BYTES);
  return copies > 0 && withinLimits ? parts : undefined;
}
