/** Request parsing and S3-style error replies shared by the local-S3 shims beside it. */
import type { S3rverContext } from 's3rver';

/** The bucket and (decoded) key a path-style request addresses; key is '' for bucket requests. */
export interface S3Target {
  bucket: string;
  key: string;
}

/** An S3 error reply: HTTP status, S3 error code, message and extra XML fields. */
export interface S3ErrorReply {
  status: number;
  code: string;
  message: string;
  detail?: Record<string, string>;
}

/** Parses '/bucket/key' (already rewritten by s3rver's vhost middleware); undefined for '/' or bad encoding. */
export function requestTarget(ctx: S3rverContext): S3Target | undefined {
  const match = /^\/([^/]+)(?:\/(.*))?$/.exec(ctx.path);
  if (!match?.[1]) return undefined;
  try {
    // Same decoding as s3rver's router, so we address the object s3rver will touch.
    return { bucket: decodeURIComponent(match[1]), key: decodeURIComponent(match[2] ?? '') };
  } catch {
    return undefined;
  }
}

/** A single request header value (Node joins repeated ones), or undefined. */
export function header(ctx: S3rverContext, name: string): string | undefined {
  const value = ctx.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A single query parameter value, or undefined. */
export function queryParam(ctx: S3rverContext, name: string): string | undefined {
  const value = ctx.query[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Answers with S3's error XML (s3rver's own middleware serialises the object). The request
 * body is drained, so the client can finish sending it and the connection stays usable.
 */
export function replyWithS3Error(ctx: S3rverContext, reply: S3ErrorReply): void {
  ctx.req.resume();
  ctx.status = reply.status;
  ctx.body = { Error: { Code: reply.code, Message: reply.message, ...reply.detail } };
}
