/**
 * A report folder replaced whole or not at all. A reused output folder must always hold
 * exactly one run's files: a run is built in a hidden sibling folder on the same filesystem
 * (`.<name>.<pid>-<hex>.run-tmp`) and swapped in by renames when it completes; a run that
 * fails leaves the folder as it was, plus at most the record it asks to keep.
 *
 * The swap is two renames (the folder aside as `.<name>.<pid>-<hex>.run-old`, the new one in):
 * Linux has an atomic exchange of two folders, Node does not expose it. Between the renames
 * the folder is briefly absent, never mixed. Swaps and records are serialised by a lock file
 * beside the folder, so concurrent runs replace it one whole run at a time (the last to
 * complete wins). A process killed between the renames leaves no folder and its `.run-old`:
 * the next run puts that back before anything else, and removes staging folders whose owner
 * is gone (see ./stale-debris).
 */
import { chmod, lstat, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { StoreError } from './errors';
import { withFileLock } from './folder-lock';
import { TEMP_FILE_PATTERN } from './folder-store';
import { claim, isOwnerGone, ownedTag, removeStale } from './stale-debris';

/** What a failed run keeps in the folder: `file` of the staging folder, renamed `as`. */
export interface KeptRecord {
  file: string;
  as: string;
  /** Earlier records this one replaces (names in the folder). */
  replaces?: RegExp;
}

const STAGING_PATTERN = /^\..+\.(?<pid>\d+)-[0-9a-f]+\.run-tmp$/;
const TAKEN = new Set(['ENOTEMPTY', 'EEXIST']);

export class StagedFolder {
  private constructor(
    /** The folder the run is for. */
    readonly target: string,
    /** Where the run is built; a sibling of `target`. */
    readonly path: string,
    private readonly replaceable: (name: string) => boolean,
    private readonly release: () => void,
  ) {}

  /**
   * Cleans up after killed runs, then creates the staging folder beside `target`. The target
   * is only ever replaced while every entry in it is `replaceable`: a folder that also holds
   * other files (someone's `--out .`) is never moved aside, let alone removed.
   */
  static async open(target: string, replaceable: (name: string) => boolean): Promise<StagedFolder> {
    const parent = dirname(target);
    try {
      await mkdir(parent, { recursive: true });
      await withFileLock(lockPathOf(target), () => restoreInterrupted(target));
      // Any staging folder: each default run has a folder of its own name.
      await removeStale(parent, STAGING_PATTERN);
      await removeStale(parent, siblingPattern(target, 'old'));
      await removeStale(target, TEMP_FILE_PATTERN);
      const path = join(parent, `.${basename(target)}.${ownedTag()}.run-tmp`);
      const release = claim(path);
      await mkdir(path);
      return new StagedFolder(target, path, replaceable, release);
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw StoreError.of('prepare', target, error);
    }
  }

  /** Replaces the target with the staging folder. */
  async commit(): Promise<void> {
    let old: { path: string; release: () => void } | undefined;
    try {
      old = await withFileLock(lockPathOf(this.target), () => this.swap());
    } catch (error) {
      await this.discard();
      if (error instanceof StoreError) throw error;
      throw StoreError.of('replace', this.target, error);
    }
    this.release();
    if (!old) return;
    // Claimed until gone, so that no run of this process takes it for a killed run's.
    await rm(old.path, { recursive: true, force: true });
    old.release();
  }

  /** Drops the staging folder, first moving `keep` (when the run wrote it) into the target. */
  async abandon(keep?: KeptRecord): Promise<void> {
    try {
      if (keep) await withFileLock(lockPathOf(this.target), () => this.keepRecord(keep));
    } finally {
      await this.discard();
    }
  }

  /** Under the lock: the staging folder in, the previous one (returned, still claimed) aside. */
  private async swap(): Promise<{ path: string; release: () => void } | undefined> {
    try {
      await rename(this.path, this.target);
      return undefined;
    } catch (error) {
      if (!TAKEN.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
    const foreign = (await readdir(this.target)).find((name) => !this.replaceable(name));
    if (foreign !== undefined) {
      throw new StoreError(
        `could not replace ${this.target}: it holds ${JSON.stringify(foreign)}, not a report's`,
      );
    }
    // The folder's permissions go with it; its owner stays whoever runs this.
    await chmod(this.path, (await stat(this.target)).mode & 0o7777);
    const old = join(dirname(this.target), `.${basename(this.target)}.${ownedTag()}.run-old`);
    const releaseOld = claim(old);
    try {
      await rename(this.target, old);
      try {
        await rename(this.path, this.target);
      } catch (error) {
        await rename(old, this.target);
        throw error;
      }
    } catch (error) {
      releaseOld();
      throw error;
    }
    return { path: old, release: releaseOld };
  }

  private async keepRecord(keep: KeptRecord): Promise<void> {
    await mkdir(this.target, { recursive: true });
    try {
      await rename(join(this.path, keep.file), join(this.target, keep.as));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (!keep.replaces) return;
    for (const name of await readdir(this.target)) {
      if (name !== keep.as && keep.replaces.test(name)) await rm(join(this.target, name), { force: true });
    }
  }

  private async discard(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
    this.release();
  }
}

function lockPathOf(target: string): string {
  return join(dirname(target), `.${basename(target)}.store-lock`);
}

/** The set-aside folders of `target`. */
function siblingPattern(target: string, kind: 'old'): RegExp {
  const name = basename(target).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.${name}\\.(?<pid>\\d+)-[0-9a-f]+\\.run-${kind}$`);
}

/**
 * Under the lock: when a killed run left the target set aside and not replaced, the set-aside
 * folder of a process that is gone goes back (the last complete run; there is one at most,
 * as the first run after the kill restores it).
 */
async function restoreInterrupted(target: string): Promise<void> {
  const parent = dirname(target);
  const pattern = siblingPattern(target, 'old');
  const entries = (await readdir(parent)).filter((name) => pattern.test(name));
  const orphan = entries.find((name) =>
    isOwnerGone(join(parent, name), Number(pattern.exec(name)?.groups?.pid)),
  );
  if (orphan === undefined || (await exists(target))) return;
  await rename(join(parent, orphan), target);
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
