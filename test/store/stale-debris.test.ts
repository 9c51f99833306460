/**
 * What counts as debris of a killed process, on a real filesystem with real process IDs: the
 * PID of a process that has exited, this process's own PID on something it no longer uses,
 * and anything older than a day.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claim, removeStale, STALE_AFTER_MS } from '../../lib/store/stale-debris';

let dir: string;
let deadPid: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stale-debris-'));
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  deadPid = child.pid!;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const PATTERN = /^(?<pid>\d+)-[0-9a-f]+$/;

describe('removeStale', () => {
  it('removes what gone or stale owners left, and keeps what live ones use', async () => {
    const root = join(dir, 'sweep');
    await mkdir(root);
    const livePid = process.ppid;
    const names = {
      dead: `${deadPid}-aa11`,
      live: `${livePid}-bb22`,
      liveButOld: `${livePid}-cc33`,
      mineUnused: `${process.pid}-dd44`,
      mineInUse: `${process.pid}-ee55`,
      other: 'not-ours',
    };
    for (const name of Object.values(names)) await mkdir(join(root, name));
    await writeFile(join(root, names.dead, 'spill-1.csv'), 'rows');
    const old = new Date(Date.now() - STALE_AFTER_MS - 60_000);
    await utimes(join(root, names.liveButOld), old, old);
    const release = claim(join(root, names.mineInUse));
    try {
      const removed = await removeStale(root, PATTERN);
      expect(removed.sort()).toEqual([names.dead, names.liveButOld, names.mineUnused].sort());
      expect((await readdir(root)).sort()).toEqual([names.live, names.mineInUse, names.other].sort());
    } finally {
      release();
    }
  });
});
