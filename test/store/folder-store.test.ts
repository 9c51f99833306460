import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FolderStore, InvalidKeyError, STALE_LOCK_MS } from '../../lib/store';
import { describeStoreContract, failingMidway } from './store-contract';

const run = promisify(execFile);
const JSON_TYPE = { contentType: 'application/json' };
const roots: string[] = [];

async function newRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'folder-store-'));
  roots.push(root);
  return root;
}

/** Every file under dir, hidden ones included, as paths relative to dir. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

afterAll(async () => {
  await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
});

describeStoreContract('FolderStore', async () => new FolderStore(await newRoot()));

describe('FolderStore specifics', () => {
  it('reports its absolute location and writes plain files under it', async () => {
    const root = await newRoot();
    const store = new FolderStore(root);
    expect(store.location).toBe(`${root}/`);
    await store.write('acme/summary.json', '{}', JSON_TYPE);
    expect(await readFile(join(root, 'acme', 'summary.json'), 'utf8')).toBe('{}');
  });

  it('leaves no temp file behind after a failed write', async () => {
    const root = await newRoot();
    const store = new FolderStore(root);
    await store.write('run/kept.csv', 'a\n', { contentType: 'text/csv' });
    await expect(
      store.write('run/files.csv', failingMidway(['x'.repeat(100_000)], new Error('boom')), {
        contentType: 'text/csv',
      }),
    ).rejects.toThrow();
    expect(await filesUnder(root)).toEqual(['run/kept.csv']);
  });

  it('uses the sha256 of the content as the version', async () => {
    const store = new FolderStore(await newRoot());
    await store.write('v.json', 'hello', JSON_TYPE);
    expect((await store.read('v.json'))?.version).toBe(
      '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    );
  });

  it('presigns a file:// URL that points at the file', async () => {
    const root = await newRoot();
    const store = new FolderStore(root);
    await store.write('w/r/files.csv', 'id\n', { contentType: 'text/csv' });
    const url = await store.presign('w/r/files.csv', { expiresInSeconds: 60, downloadName: 'files.csv' });
    expect(url).toMatch(/^file:\/\//);
    expect(await readFile(fileURLToPath(url), 'utf8')).toBe('id\n');
  });

  it('keeps its own temp and lock names out of keys and listings', async () => {
    const root = await newRoot();
    const store = new FolderStore(root);
    await expect(store.write('a.store-lock', 'x', JSON_TYPE)).rejects.toBeInstanceOf(InvalidKeyError);
    await expect(store.read('d/x.store-tmp')).rejects.toBeInstanceOf(InvalidKeyError);
    await writeFile(join(root, '.b.json.abc.store-tmp'), 'half');
    await writeFile(join(root, '.b.json.store-lock'), '1');
    await store.write('b.json', '{}', JSON_TYPE);
    expect(await store.list('')).toEqual(['b.json']);
  });

  it('breaks a lock file abandoned by a crashed process', async () => {
    const root = await newRoot();
    const store = new FolderStore(root);
    const lock = join(root, '.latest.json.store-lock');
    await writeFile(lock, '999999 crashed\n');
    const old = new Date(Date.now() - STALE_LOCK_MS - 1000);
    await utimes(lock, old, old);
    expect(await store.writeIfUnchanged('latest.json', '{}', undefined, JSON_TYPE)).toBe(true);
    expect(await filesUnder(root)).toEqual(['latest.json']);
  });

  it('lets exactly one writer win across 4 processes x 5 concurrent attempts', async () => {
    const root = await newRoot();
    const store = new FolderStore(root);
    await store.write('w/latest.json', '{"writer":"initial"}', JSON_TYPE);
    const start = (await store.read('w/latest.json'))!.version;
    const child = fileURLToPath(new URL('./fixtures/folder-race-child.ts', import.meta.url));
    // Long enough for every child to have started (tsx compiles on the way up) before the race.
    const startAt = String(Date.now() + 2500);
    const outputs = await Promise.all(
      ['p1', 'p2', 'p3', 'p4'].map((id) =>
        run(process.execPath, ['--import', 'tsx', child, root, 'w/latest.json', start, id, '5', startAt]),
      ),
    );
    const wins = outputs.map((output) => Number(output.stdout));
    expect(wins.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await store.read('w/latest.json'))?.body).toMatch(/^\{"writer":"p\d-\d"\}$/);
    expect(await filesUnder(root)).toEqual(['w/latest.json']);
  }, 30_000);
});
