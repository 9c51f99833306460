/**
 * Where a run keeps the text it spills to disk (see ./spill-buffer). A run killed with SIGKILL
 * cannot remove its folder, so every run's folder lives in one folder per user,
 * `<tmp>/ingestion-report-spill-<uid>/<pid>-<hex>/`, and each run first removes the folders
 * there whose process is gone or that are older than a day (see ../store/stale-debris), and
 * the `ingestion-report-*` / `ingestion-fanout-*` folders older versions made, after a day.
 */
import { lstat, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { claim, ownedTag, removeStale } from '../store/stale-debris';

/** `<pid>-<hex>`: the owner's process ID, so a later run can tell a killed run's folder. */
const RUN_FOLDER = /^(?<pid>\d+)-[0-9a-f]+$/;
/** What versions before the shared folder made (mkdtemp names, no PID: by age only). */
const LEGACY_FOLDER = /^ingestion-(?:report|fanout)-[A-Za-z0-9]{6}$/;

/** A run's folder for spilled text; `dispose` removes it. */
export interface SpillFolder {
  path: string;
  dispose(): Promise<void>;
}

/** The per-user folder holding every run's spill folder, under `root`. */
export function spillRoot(root = tmpdir()): string {
  return join(root, `ingestion-report-spill-${process.getuid?.() ?? 'user'}`);
}

/** Creates this run's spill folder, after removing what killed runs left. */
export async function openSpillFolder(root = tmpdir()): Promise<SpillFolder> {
  const parent = spillRoot(root);
  await removeStale(root, LEGACY_FOLDER);
  let path: string;
  if (await isOwnFolder(parent)) {
    await removeStale(parent, RUN_FOLDER);
    path = join(parent, ownedTag());
    await mkdir(path);
  } else {
    // Someone else's (or a link) in a shared temp folder: never write through it.
    path = await mkdtemp(join(root, 'ingestion-report-'));
  }
  const release = claim(path);
  return {
    path,
    async dispose() {
      await rm(path, { recursive: true, force: true });
      release();
    },
  };
}

/** Creates `dir` (private to this user) if absent; true when it is a real folder of this user. */
async function isOwnFolder(dir: string): Promise<boolean> {
  await mkdir(dir, { mode: 0o700 }).catch(() => {});
  try {
    const stats = await lstat(dir);
    const uid = process.getuid?.();
    return stats.isDirectory() && (uid === undefined || stats.uid === uid);
  } catch {
    return false;
  }
}
