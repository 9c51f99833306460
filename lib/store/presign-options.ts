/**
 * Checks what a presigned download link may say: how long it lives (never more than 15 minutes,
 * so a leaked link dies quickly) and the filename and type the browser is told.
 */
import type { PresignOptions } from './store';

/** The longest a presigned URL may live, in seconds (15 minutes). */
export const MAX_PRESIGN_SECONDS = 900;

/** Presign options after checking, with the Content-Disposition header value built. */
export interface CheckedPresignOptions {
  expiresInSeconds: number;
  contentDisposition: string;
  contentType: string | undefined;
}

// CR/LF would let a caller inject headers; other controls have no business in a header value.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Throws RangeError on an expiry outside 1..900 s or a header value with control characters. */
export function checkPresignOptions(key: string, options: PresignOptions): CheckedPresignOptions {
  const { expiresInSeconds, downloadName, contentType } = options;
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new RangeError(
      `expiresInSeconds must be an integer from 1 to ${MAX_PRESIGN_SECONDS}, got ${expiresInSeconds} (key "${key}")`,
    );
  }
  if (contentType !== undefined && (contentType === '' || CONTROL.test(contentType))) {
    throw new RangeError(`contentType must be a non-empty header value, got ${JSON.stringify(contentType)}`);
  }
  const name = downloadName ?? key.slice(key.lastIndexOf('/') + 1);
  return { expiresInSeconds, contentDisposition: attachmentDisposition(name), contentType };
}

/**
 * `attachment; filename="<ascii fallback>"; filename*=UTF-8''<encoded>` (RFC 6266 + 8187):
 * browsers use the UTF-8 form, old clients the ASCII one.
 *
 * @example attachmentDisposition('résumé "1".csv')
 * // attachment; filename="r_sum_ _1_.csv"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22.csv
 */
export function attachmentDisposition(fileName: string): string {
  if (fileName === '') throw new RangeError('downloadName must not be empty');
  // Quotes and backslashes would end or escape the quoted string; '%' invites percent-decoding.
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
