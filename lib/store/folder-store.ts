/**
 * `ReportStore` on a local directory (the CLI's `--out DIR`, `npm start` without S3).
 *
 * - Writes go to a temp file in the target's directory and are renamed into place only on
 *   success: a failed write leaves the key as it was, and a reader never sees half a file.
 * - Versions are the sha256 hex of the content; `writeIfUnchanged` is serialised per key by
 *   `withFileLock` (see its limits there).
 * - Temp and lock files are hidden siblings ending in `.store-tmp` / `.store-lock`: `list`
 *   skips them, and keys whose last segment ends that way are rejected. Temp files left by a
 *   killed process are removed the first time a store writes into their directory.
 * - Unlike S3, a key cannot be both an object and a "folder" ('a' and 'a/b'); segments are
 *   limited by the filesystem's name length (usually 255 bytes, minus ~30 for temp names).
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import { abortable, bodyChunks } from './body';
import { concatPieces } from './concat-pieces';
import { InvalidKeyError, StoreError } from './errors';
import { withFileLock } from './folder-lock';
import { isValidKey, sortKeys, validateKey, validatePrefix } from './keys';
import { checkPresignOptions } from './presign-options';
import { claim, ownedTag, removeStale } from './stale-debris';
import type { Body, ComposeResult, ComposingStore, Piece, PresignOptions, StoredObject } from './store';

const TEMP_SUFFIX = '.store-tmp';
/** `.<file>.<pid>-<hex>.store-tmp` (and, from older versions, `.<file>.<hex>.store-tmp`). */
export const TEMP_FILE_PATTERN = /^\..*\.(?:(?<pid>\d+)-)?[0-9a-f]+\.store-tmp$/;
const LOCK_SUFFIX = '.store-lock';
const ABSENT_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

/** A report store rooted at a local directory; `location` is its absolute path with a trailing separator. */
export class FolderStore implements ComposingStore {
  readonly location: string;
  private readonly root: string;
  /** Directories already cleared of temp files that killed processes left behind. */
  private readonly swept = new Set<string>();

  /** @param rootDir created on first write; relative paths resolve against the working directory. */
  constructor(rootDir: string) {
    this.root = resolve(rootDir);
    this.location = this.root.endsWith(sep) ? this.root : this.root + sep;
  }

  async write(
    key: string,
    body: Body,
    options: { contentType: string; signal?: AbortSignal },
  ): Promise<void> {
    const file = this.pathOf(key);
    try {
      await this.prepareDir(dirname(file));
      await writeAtomically(file, abortable(bodyChunks(body), options.signal));
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw StoreError.of('write', file, error);
    }
  }

  async read(key: string): Promise<StoredObject | undefined> {
    const file = this.pathOf(key);
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw StoreError.of('read', file, error);
    }
    return { body: content.toString('utf8'), version: sha256(content) };
  }

  async readStream(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    const file = this.pathOf(key);
    try {
      // Opened now, so absence is known before the caller starts consuming.
      const handle = await open(file, 'r');
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        return undefined;
      }
      return handle.createReadStream();
    } catch (error) {
      if (isAbsent(error)) return undefined;
      throw StoreError.of('open', file, error);
    }
  }

  async writeIfUnchanged(
    key: string,
    body: string,
    expectedVersion: string | undefined,
    _options: { contentType: string },
  ): Promise<boolean> {
    if (typeof body !== 'string')
      throw new TypeError(`writeIfUnchanged body must be a string (key "${key}")`);
    const file = this.pathOf(key);
    const lockPath = join(dirname(file), `.${basename(file)}${LOCK_SUFFIX}`);
    try {
      await this.prepareDir(dirname(file));
      return await withFileLock(lockPath, async () => {
        const current = await this.read(key);
        if (current?.version !== expectedVersion) return false;
        await writeAtomically(file, bodyChunks(body));
        return true;
      });
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw StoreError.of('conditionally write', file, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    validatePrefix(prefix);
    const slash = prefix.lastIndexOf('/');
    const baseKey = slash === -1 ? '' : prefix.slice(0, slash);
    try {
      const keys = await walk(this.root, baseKey);
      return sortKeys(keys.filter((key) => key.startsWith(prefix)));
    } catch (error) {
      throw StoreError.of('list', this.location + prefix, error);
    }
  }

  /** A streamed concatenation, written atomically like any `write`; every source is checked first. */
  async compose(
    key: string,
    pieces: readonly Piece[],
    options: { contentType: string },
  ): Promise<ComposeResult> {
    for (const piece of pieces) {
      if ('key' in piece && !(await isFile(this.pathOf(piece.key)))) {
        throw new StoreError(`Cannot compose from "${piece.key}" in ${this.location}: it does not exist`);
      }
    }
    await this.write(key, concatPieces(this, pieces), options);
    return { strategy: 'stream' };
  }

  /** Removes the files, then the directories that became empty (up to, not including, the root). */
  async remove(keys: readonly string[]): Promise<void> {
    const files = keys.map((key) => this.pathOf(key));
    try {
      await Promise.all(files.map((file) => rm(file, { force: true })));
      const dirs = new Set(files.map((file) => dirname(file)));
      for (const dir of [...dirs].sort((a, b) => b.length - a.length)) await this.pruneEmpty(dir);
    } catch (error) {
      throw StoreError.of(`remove ${keys.length} keys from`, this.location, error);
    }
  }

  async presign(key: string, options: PresignOptions): Promise<string> {
    // file:// URLs carry no expiry, filename or type; the options are still checked so callers
    // learn about bad ones locally, not first in production.
    const file = this.pathOf(key);
    checkPresignOptions(key, options);
    return pathToFileURL(file).href;
  }

  /** Creates `dir`; the first time, also removes temp files left there by killed processes. */
  private async prepareDir(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    if (this.swept.has(dir)) return;
    this.swept.add(dir);
    await removeStale(dir, TEMP_FILE_PATTERN);
  }

  /** Removes `dir` and its parents while they are empty, stopping at the root. */
  private async pruneEmpty(dir: string): Promise<void> {
    for (let current = dir; current.startsWith(this.location); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOENT') return;
        throw error;
      }
    }
  }

  /** The absolute file path of a valid key, never outside the root. */
  private pathOf(key: string): string {
    validateKey(key);
    const name = key.slice(key.lastIndexOf('/') + 1);
    if (isReservedName(name)) {
      throw new InvalidKeyError(
        key,
        `names ending in ${TEMP_SUFFIX} or ${LOCK_SUFFIX} are the folder store's own`,
      );
    }
    const file = join(this.root, ...key.split('/'));
    if (!file.startsWith(this.location)) throw new InvalidKeyError(key, 'resolves outside the store root');
    return file;
  }
}

/**
 * Streams chunks to a hidden temp sibling named with this process's ID (so a later run can
 * tell it was left behind by a killed process), then renames it over `file`; removes the temp on failure.
 */
async function writeAtomically(file: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${ownedTag()}${TEMP_SUFFIX}`);
  const release = claim(temp);
  try {
    // Opened before streaming: a stream that opens its own file may create it after a failed
    // pipeline has already removed it, leaving the temp file behind.
    const handle = await open(temp, 'wx');
    await pipeline(Readable.from(chunks), handle.createWriteStream());
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  } finally {
    release();
  }
}

/** Keys of every regular file under root/baseKey (symlinks are not followed). */
async function walk(root: string, baseKey: string): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(baseKey === '' ? root : join(root, ...baseKey.split('/')), {
      withFileTypes: true,
    });
  } catch (error) {
    if (isAbsent(error)) return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    const key = baseKey === '' ? entry.name : `${baseKey}/${entry.name}`;
    if (entry.isDirectory()) keys.push(...(await walk(root, key)));
    else if (entry.isFile() && !isReservedName(entry.name) && isValidKey(key)) keys.push(key);
  }
  return keys;
}

function isReservedName(name: string): boolean {
  return name.endsWith(TEMP_SUFFIX) || name.endsWith(LOCK_SUFFIX);
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch (error) {
    if (isAbsent(error)) return false;
    throw error;
  }
}

function isAbsent(error: unknown): boolean {
  return ABSENT_CODES.has((error as NodeJS.ErrnoException).code ?? '');
}

function sha256(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}
