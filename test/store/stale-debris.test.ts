/**
 * What counts as debris of a killed process, on a real filesystem with real process IDs: the
 * PID of a process that has exited, this process's own PID on something it no longer uses,
 * and anything older than a day; and what a StagedFolder does with a swap a kill interrupted.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagedFolder } from '../../lib/store/staged-folder';
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

describe('StagedFolder', () => {
  it('puts back the folder a killed run had set aside and not replaced', async () => {
    const parent = join(dir, 'interrupted');
    const target = join(parent, 'out');
    const setAside = join(parent, `.out.${deadPid}-0123456789ab.run-old`);
    const halfBuilt = join(parent, `.out.${deadPid}-ba9876543210.run-tmp`);
    await mkdir(setAside, { recursive: true });
    await writeFile(join(setAside, 'summary.json'), '{"complete":true}\n');
    await mkdir(halfBuilt);
    await writeFile(join(halfBuilt, '.files.csv.1-ab.store-tmp'), 'half');
    // A default run has a folder of its own name: its staging folder is swept all the same.
    await mkdir(join(parent, `.20261130T111111111Z-abcdef.${deadPid}-0a0b.run-tmp`));

    const staged = await StagedFolder.open(target, () => true);
    expect(await readFile(join(target, 'summary.json'), 'utf8')).toBe('{"complete":true}\n');
    expect((await readdir(parent)).sort()).toEqual([staged.path.slice(parent.length + 1), 'out'].sort());
    await writeFile(join(staged.path, 'summary.json'), '{"complete":true,"new":true}\n');
    await staged.commit();
    expect(await readdir(parent)).toEqual(['out']);
    expect(await readFile(join(target, 'summary.json'), 'utf8')).toBe('{"complete":true,"new":true}\n');
  });

  it('never replaces a folder that came to hold files it may not replace', async () => {
    const target = join(dir, 'foreign', 'out');
    const staged = await StagedFolder.open(target, (name) => name.endsWith('.csv'));
    await mkdir(target);
    await writeFile(join(target, 'notes.txt'), 'mine');
    await writeFile(join(staged.path, 'sessions.csv'), 'a\r\n');
    await expect(staged.commit()).rejects.toThrow(
      `could not replace ${target}: it holds "notes.txt", not a report's`,
    );
    expect(await readdir(target)).toEqual(['notes.txt']);
    expect(await readdir(join(dir, 'foreign'))).toEqual(['out']);
  });

  it('keeps only the newest failure record and nothing else of a failed run', async () => {
    const target = join(dir, 'records', 'out');
    const first = await StagedFolder.open(target, () => true);
    await writeFile(join(first.path, 'sessions.csv'), 'a\r\n');
    await first.commit();
    for (const run of ['r1', 'r2']) {
      const staged = await StagedFolder.open(target, () => true);
      await writeFile(join(staged.path, 'summary.json'), `{"run":"${run}"}`);
      await writeFile(join(staged.path, 'files.csv'), 'partial');
      await staged.abandon({ file: 'summary.json', as: `failed-${run}.summary.json`, replaces: /^failed-/ });
    }
    expect((await readdir(target)).sort()).toEqual(['failed-r2.summary.json', 'sessions.csv']);
    expect(await readdir(join(dir, 'records'))).toEqual(['out']);
  });
});
