/**
 * Where reports go: the `ReportStore` port (and `ComposingStore`, which also assembles objects
 * from pieces), its two adapters (a local folder, an S3 bucket),
 * key rules, and the embedded S3 used by `npm start` and the tests.
 */
export { abortable, bodyChunks } from './body';
export {
  MAX_PART_BYTES,
  MAX_PARTS,
  MIN_PART_BYTES,
  type PlannedPart,
  planComposition,
  type SizedPiece,
} from './compose-plan';
export { concatPieces } from './concat-pieces';
export { InvalidKeyError, StoreError } from './errors';
export { LOCK_TIMEOUT_MS, STALE_LOCK_MS } from './folder-lock';
export { FolderStore } from './folder-store';
export { isValidKey, MAX_KEY_BYTES, sortKeys, validateKey, validatePrefix } from './keys';
export {
  DEFAULT_LOCAL_BUCKET,
  type LocalS3,
  type LocalS3Options,
  localS3ClientConfig,
  startLocalS3,
} from './local-s3';
export {
  attachmentDisposition,
  type CheckedPresignOptions,
  checkPresignOptions,
  MAX_PRESIGN_SECONDS,
} from './presign-options';
export { PART_QUEUE_SIZE, PART_SIZE_BYTES, S3Store, type S3StoreOptions } from './s3-store';
export type {
  Body,
  ComposeResult,
  ComposingStore,
  Piece,
  PresignOptions,
  ReportStore,
  StoredObject,
} from './store';
