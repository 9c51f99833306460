/**
 * Serialises conditional writes to one file of a `FolderStore`: a `KeyedMutex` within the
 * process, plus an exclusive lock file (`open(path, 'wx')`, i.e. O_CREAT|O_EXCL) between
 * processes, so two processes can't both see the same version and both win.
 *
 * Limits, known and accepted:
 * - Only `writeIfUnchanged` takes the lock; a plain `write` to the same key does not wait.
 * - O_EXCL is atomic on local filesystems (and NFSv3+), not on every network filesystem.
 * - A process that dies holding the lock leaves the file behind. A lock file older than
 *   `STALE_LOCK_MS` counts as abandoned and is removed; a holder that really takes that long
 *   (the critical section is one small read and write) could then be overtaken.
 * - A waiter gives up after `LOCK_TIMEOUT_MS` with a StoreError (not `false`: the condition
 *   was never evaluated).
 */
import { type FileHandle, open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from './errors';
import { KeyedMutex } from './keyed-mutex';

/** A lock file older than this is treated as left behind by a crashed process. */
export const STALE_LOCK_MS = 30_000;
/** How long a writer waits for another process's lock before failing. */
export const LOCK_TIMEOUT_MS = 15_000;

// One per process: every FolderStore instance on the same directory shares it.
const processLocks = new KeyedMutex();

/** Runs `task` while holding both the in-process lock for `lockPath` and the lock file itself. */
export function withFileLock<T>(lockPath: string, task: () => Promise<T>): Promise<T> {
  return processLocks.run(lockPath, async () => {
    await acquireLockFile(lockPath);
    try {
      return await task();
    } finally {
      await rm(lockPath, { force: true });
    }
  });
}

async function acquireLockFile(lockPath: string): Promise<void> {
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    if (await tryCreate(lockPath)) return;
    if (await removeIfStale(lockPath)) continue;
    if (Date.now() > deadline) {
      throw new StoreError(`Timed out after ${LOCK_TIMEOUT_MS} ms waiting for the lock file ${lockPath}`);
    }
    // Jittered backoff so several processes don't retry in lockstep.
    await sleep(Math.min(2 * 2 ** attempt, 100) * (0.5 + Math.random()));
  }
}

/** true when we created the lock file (and so hold the lock); false when it already exists. */
async function tryCreate(lockPath: string): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(lockPath, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StoreError(`Could not create the lock file ${lockPath}`, { cause: error });
  }
  try {
    // Who holds it, for whoever finds a stale lock file by hand.
    await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
    return true;
  } catch (error) {
    await rm(lockPath, { force: true });
    throw new StoreError(`Could not write the lock file ${lockPath}`, { cause: error });
  } finally {
    await handle.close();
  }
}

/** true when the lock file is gone (released meanwhile, or removed here as abandoned). */
async function removeIfStale(lockPath: string): Promise<boolean> {
  try {
    const { mtimeMs } = await stat(lockPath);
    if (Date.now() - mtimeMs < STALE_LOCK_MS) return false;
    await rm(lockPath, { force: true });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw new StoreError(`Could not inspect the lock file ${lockPath}`, { cause: error });
  }
}
