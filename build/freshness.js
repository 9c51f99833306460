/**
 * Whether the CLI bundle in dist/ was built from the sources as they are now. The build records
 * a hash of each of its inputs (every project file esbuild read, plus the lock file and the
 * build settings) in dist/cli.json; the launcher hashes them again before running, so an edited
 * source never runs as an old bundle. Plain JavaScript: the launcher runs it with `node`, before
 * any bundle exists. Hashing the ~100 inputs takes a few milliseconds.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the stamp lives, relative to the project root. */
export const STAMP_FILE = 'dist/cli.json';

/**
 * What a build records: the entry to run (relative to dist/) and each input's hash.
 * @typedef {{ entry: string, inputs: Record<string, string> }} Stamp
 */

/**
 * Each file's SHA-256 (hex), or 'missing'.
 * @param {string} root
 * @param {readonly string[]} files paths relative to root
 * @returns {Promise<Record<string, string>>}
 */
export async function hashFiles(root, files) {
  const hashes = await Promise.all(
    files.map((file) =>
      readFile(join(root, file)).then(
        (content) => createHash('sha256').update(content).digest('hex'),
        () => 'missing',
      ),
    ),
  );
  return Object.fromEntries(files.map((file, i) => [file, hashes[i] ?? 'missing']));
}

/**
 * The stamp of the last build, or undefined when there is none (never built, or unreadable).
 * @param {string} root
 * @returns {Promise<Stamp | undefined>}
 */
export async function readStamp(root) {
  try {
    const stamp = JSON.parse(await readFile(join(root, STAMP_FILE), 'utf8'));
    const valid = typeof stamp?.entry === 'string' && typeof stamp.inputs === 'object' && stamp.inputs;
    return valid ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the bundle must not run as it is ("functions/cli/args.ts changed"), or undefined when
 * every input is as it was built from.
 * @param {string} root
 * @param {Stamp | undefined} stamp
 * @returns {Promise<string | undefined>}
 */
export async function staleReason(root, stamp) {
  if (!stamp) return 'dist/ holds no build';
  const now = await hashFiles(root, Object.keys(stamp.inputs));
  const changed = Object.keys(stamp.inputs).find((file) => now[file] !== stamp.inputs[file]);
  if (changed === undefined) return undefined;
  return `${changed} ${now[changed] === 'missing' ? 'is gone' : 'changed'} since it was built`;
}
