/**
 * Store keys: relative, '/'-separated, no traversal. Callers validate names (workspace, run)
 * before they build a key; this is the second line of defence, applied by every store method.
 */
import { InvalidKeyError } from './errors';

/** S3's limit on a key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

// C0 and C1 control characters, DEL, and lone UTF-16 surrogates (which have no UTF-8 form).
const CONTROL_OR_LONE_SURROGATE = /[\u0000-\u001f\u007f-\u009f]|\p{Surrogate}/u;

/** Returns the key unchanged, or throws `InvalidKeyError` naming it and the broken rule. */
export function validateKey(key: string): string {
  const reason = keyProblem(key);
  if (reason !== undefined) throw new InvalidKeyError(String(key), reason);
  return key;
}

/** true when `key` obeys the key rules (for filtering names found on disk, without throwing). */
export function isValidKey(key: string): boolean {
  return keyProblem(key) === undefined;
}

/**
 * A list prefix: '' (everything), a key, or a key followed by '/'. The part before a trailing
 * '/' obeys the key rules, so 'a//' and '../' are rejected like 'a//b' and '../x'.
 */
export function validatePrefix(prefix: string): string {
  if (prefix === '') return prefix;
  const reason = keyProblem(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  if (reason !== undefined) throw new InvalidKeyError(String(prefix), reason);
  return prefix;
}

/** Sorts keys by their UTF-8 bytes, the order S3 lists in (JS's default compares UTF-16 units). */
export function sortKeys(keys: string[]): string[] {
  const encoded = keys.map((key) => ({ key, bytes: Buffer.from(key, 'utf8') }));
  encoded.sort((a, b) => Buffer.compare(a.bytes, b.bytes));
  return encoded.map((entry) => entry.key);
}

function keyProblem(key: unknown): string | undefined {
  if (typeof key !== 'string') return 'not a string';
  if (key === '') return 'empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `longer than ${MAX_KEY_BYTES} bytes`;
  if (key.startsWith('/')) return "starts with '/' (keys are relative)";
  if (key.includes('\\')) return 'contains a backslash';
  if (CONTROL_OR_LONE_SURROGATE.test(key)) return 'contains a control character or an unpaired surrogate';
  for (const segment of key.split('/')) {
    if (segment === '') return "has an empty segment ('//' or a trailing '/')";
    if (segment === '.' || segment === '..') return `has a '${segment}' segment`;
  }
  return undefined;
}
