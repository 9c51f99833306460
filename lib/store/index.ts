/**
 * Where reports go: the `ReportStore` port (and `ComposingStore`, which also assembles objects
 * from pieces), its two adapters (a local folder, an S3 bucket), and key rules. The embedded
 * S3 that `npm start` and the tests use is a stand-in, beside the API emulator in `emulator/s3`.
 */
export { abortable, bodyChunks } from './body';
export { type PlannedPart, planComposition, type SizedPiece } from './compose-plan';
export { concatPieces } from './concat-pieces';
export { CSV_CONTENT_TYPE, JSON_CONTENT_TYPE, jsonText, writeJson } from './content';
export { InvalidKeyError, StoreError } from './errors';
export { LOCK_TIMEOUT_MS, STALE_LOCK_MS } from './folder-lock';
export { FolderStore } from './folder-store';
export { isValidKey, MAX_KEY_BYTES, sortKeys, validateKey, validatePrefix } from './keys';
export {
  attachmentDisposition,
  type CheckedPresignOptions,
  checkPresignOptions,
  MAX_PRESIGN_SECONDS,
} from './presign-options';
export { MAX_PART_BYTES, MAX_PARTS, MIN_PART_BYTES, PART_SIZE_BYTES } from './s3-limits';
export { PART_QUEUE_SIZE, S3Store, type S3StoreOptions } from './s3-store';
export type {
  Body,
  ComposeResult,
  ComposingStore,
  Piece,
  PresignOptions,
  ReportStore,
  StoredObject,
} from './store';
