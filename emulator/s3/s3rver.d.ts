/**
 * The slice of s3rver 3.7.1 (which ships no types) that the embedded S3 here uses: the Koa app, its
 * middleware array, and the filesystem store behind it.
 */
declare module 's3rver' {
  import type { IncomingMessage, Server } from 'node:http';
  import type { AddressInfo } from 'node:net';
  import type { Readable } from 'node:stream';

  /** The Koa context fields the local-S3 shims read and set. */
  export interface S3rverContext {
    readonly method: string;
    /** Path after s3rver's vhost rewrite, still percent-encoded: '/bucket/key'. */
    readonly path: string;
    readonly query: Record<string, string | string[] | undefined>;
    readonly headers: Record<string, string | string[] | undefined>;
    readonly req: IncomingMessage;
    status: number;
    body: unknown;
    set(field: string, value: string): void;
  }

  export type S3rverMiddleware = (ctx: S3rverContext, next: () => Promise<void>) => Promise<void>;

  /** An object read by `getObject`: `content` is a stream of its bytes (of the range, if one was asked). */
  export interface S3rverObject {
    content: Readable | null;
    metadata: Record<string, string | number>;
  }

  /** s3rver's FilesystemStore; `getMetadata` rejects with ENOENT when the object is absent. */
  export interface S3rverFilesystemStore {
    getResourcePath(bucket: string, key: string | undefined, resource: string): string;
    getMetadata(bucket: string, key: string): Promise<Record<string, string | number> & { etag: string }>;
    /** null when the object is absent; `end` is inclusive. */
    getObject(
      bucket: string,
      key: string,
      range?: { start?: number; end?: number },
    ): Promise<S3rverObject | null>;
    /** Writes part `partNumber` of an upload from `content`; the md5 is the part's ETag (unquoted). */
    putPart(
      bucket: string,
      uploadId: string,
      partNumber: number,
      content: Readable,
    ): Promise<{ size: number; md5: string }>;
    getBucket(bucket: string): Promise<{ name: string } | null>;
    putBucket(bucket: string): Promise<unknown>;
  }

  export interface S3rverOptions {
    address?: string;
    port?: number;
    silent?: boolean;
    directory?: string;
    resetOnClose?: boolean;
    vhostBuckets?: boolean;
    allowMismatchedSignatures?: boolean;
  }

  export default class S3rver {
    constructor(options?: S3rverOptions);
    /** Koa's middleware list; composed when the server starts listening. */
    middleware: S3rverMiddleware[];
    store: S3rverFilesystemStore;
    httpServer?: Server;
    run(): Promise<AddressInfo>;
    close(): Promise<void>;
  }
}
