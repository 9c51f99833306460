/**
 * A report folder replaced whole, on a real filesystem: the swap, what a failed run keeps,
 * a folder that came to hold foreign files, and a swap a killed process (a real, exited PID)
 * interrupted.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StagedFolder } from '../../lib/store/staged-folder';

let dir: string;
let deadPid: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'staged-folder-'));
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  deadPid = child.pid!;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
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

  it('swaps in the new run with the permissions of the folder it replaces', async () => {
    const target = join(dir, 'modes', 'out');
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'a.csv'), 'old');
    await chmod(target, 0o750);
    const staged = await StagedFolder.open(target, () => true);
    await writeFile(join(staged.path, 'a.csv'), 'new');
    await staged.commit();
    expect(await readFile(join(target, 'a.csv'), 'utf8')).toBe('new');
    expect((await stat(target)).mode & 0o777).toBe(0o750);
    expect(await readdir(join(dir, 'modes'))).toEqual(['out']);
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
