/**
 * Temporary files and folders left behind by a process that was killed (`kill -9`, a crash, a
 * power cut) can never be cleaned up by that process, so the next run removes them. Their
 * names carry the owner's process ID; an entry is stale when that process is gone, or when it
 * is older than a day (a PID reused by an unrelated process, or a name without a PID).
 * Entries this process is still using are registered here, so an earlier process that had the
 * same PID (common in containers) is recognised as gone too.
 */
import { randomBytes } from 'node:crypto';
import { lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Older than this, debris is removed even when a process with its PID is running. */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

// Paths this process created and still uses.
const inUse = new Set<string>();

/** A unique name part owned by this process: `<pid>-<hex>`. */
export function ownedTag(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Marks `path` as in use by this process until the returned function is called. */
export function claim(path: string): () => void {
  inUse.add(path);
  return () => inUse.delete(path);
}

/** The PID in a name made with `ownedTag`, read by `pattern`'s `pid` group. */
function ownerOf(name: string, pattern: RegExp): number | undefined {
  const pid = pattern.exec(name)?.groups?.pid;
  return pid === undefined ? undefined : Number(pid);
}

/** Whether process `pid` no longer exists (EPERM: it exists, under another user). */
function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether the process that made `path` (named with `pid`) is gone; this one counts only for what it still uses. */
export function isOwnerGone(path: string, pid: number): boolean {
  if (inUse.has(path)) return false;
  return pid === process.pid || isProcessGone(pid);
}

async function isStale(path: string, pid: number | undefined, now: number): Promise<boolean> {
  if (inUse.has(path)) return false;
  if (pid !== undefined && isOwnerGone(path, pid)) return true;
  try {
    return now - (await lstat(path)).mtimeMs > STALE_AFTER_MS;
  } catch {
    return false;
  }
}

/**
 * Removes the entries of `dir` whose names match `pattern` and that are stale; returns their
 * names. Best effort: a folder that cannot be read or an entry that cannot be removed is left.
 */
export async function removeStale(dir: string, pattern: RegExp, now = Date.now()): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names.filter((n) => pattern.test(n))) {
    const path = join(dir, name);
    if (!(await isStale(path, ownerOf(name, pattern), now))) continue;
    try {
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Someone else's, or already gone: not ours to insist on.
    }
  }
  return removed;
}
