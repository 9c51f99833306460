/**
 * The port every report writer and reader codes against. Adapters: `FolderStore` (a local
 * directory) and `S3Store` (a bucket and prefix). The store knows nothing of report layout:
 * keys are plain relative '/'-separated strings, validated by `./keys`.
 */

/** What `write` accepts: a whole body, or chunks produced while the report runs. */
export type Body = string | Uint8Array | AsyncIterable<string | Uint8Array>;

/** A small object read whole, with the version `writeIfUnchanged` compares against. */
export interface StoredObject {
  body: string;
  /** S3: the ETag (quotes included); folder: the sha256 hex of the content. */
  version: string;
}

/** How a download link is presented to the browser. */
export interface PresignOptions {
  /** Must be an integer in 1..900; anything else is a RangeError. */
  expiresInSeconds: number;
  /** The Content-Disposition attachment filename; defaults to the key's last segment. */
  downloadName?: string;
  contentType?: string;
}

/** Where reports go. Keys are relative to the store's root (a folder, or a bucket prefix). */
export interface ReportStore {
  /** Human-readable location for messages, e.g. "s3://bucket/prefix/" or "/abs/dir/". */
  readonly location: string;
  /**
   * Streams body to key. On any error (including the source iterable throwing, or `signal`
   * aborting) the key keeps what it had before (nothing, if it was absent); for S3 the
   * multipart upload is aborted. An abort takes effect between chunks.
   */
  write(key: string, body: Body, options: { contentType: string; signal?: AbortSignal }): Promise<void>;
  /** Small objects only (JSON). undefined when absent. */
  read(key: string): Promise<StoredObject | undefined>;
  /** Streaming read (for downloads/concatenation). undefined when absent. */
  readStream(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /**
   * Conditional write: succeeds only if the key's current version is still `expectedVersion`
   * (undefined = the key must not exist). Returns false (no throw) when the condition fails.
   * Atomic against concurrent writers.
   */
  writeIfUnchanged(
    key: string,
    body: string,
    expectedVersion: string | undefined,
    options: { contentType: string },
  ): Promise<boolean>;
  /**
   * Every key under prefix (recursively; a plain string prefix, '' for all), sorted ascending
   * by UTF-8 bytes (S3's order), relative to the store root.
   */
  list(prefix: string): Promise<string[]>;
  /** A URL valid for at most 15 minutes; S3: a presigned GET with response-content-disposition/type. Folder: a file:// URL. */
  presign(key: string, options: PresignOptions): Promise<string>;
  /** Removes `keys`; keys already absent are not an error. */
  remove(keys: readonly string[]): Promise<void>;
}

/** One piece of a composed object: literal text, or the whole content of another key of the same store. */
export type Piece = { text: string } | { key: string };

/** How `compose` produced the object. */
export type ComposeResult =
  /** The bytes flowed through this process (a folder, or S3 parts too small to copy). */
  | { strategy: 'stream' }
  /** An S3 multipart upload: `copiedParts` were copied server-side (UploadPartCopy), the rest uploaded. */
  | { strategy: 'multipart-copy'; uploadedParts: number; copiedParts: number };

/**
 * A store that can also assemble an object from pieces: what the fan-out's finalizer needs
 * (part files in, one CSV out).
 */
export interface ComposingStore extends ReportStore {
  /**
   * Writes `key` as the concatenation of `pieces`, in order. Every key piece must exist (a
   * missing one fails the write and leaves `key` as it was). S3 copies large pieces inside S3
   * instead of downloading and re-uploading them.
   */
  compose(key: string, pieces: readonly Piece[], options: { contentType: string }): Promise<ComposeResult>;
}
