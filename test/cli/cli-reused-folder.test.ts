/**
 * A reused `--out DIR` holds exactly one run's files, never a mix: a failed run leaves the
 * previous complete run byte-identical plus `failed-<run_id>.summary.json`; a summary-mode run
 * leaves no files.csv of an earlier full run; concurrent runs replace the folder whole. The
 * default dated folder of a failed run holds only its incomplete summary.json. In-process
 * (runCli) against the emulator over real HTTP, on a real filesystem.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { capturedCliIo } from '../support/captured-io';
import { useCliStand } from '../support/cli-stand';

const KEY = 'cli-reuse-key-0b7e21';

const stand = useCliStand({
  folderPrefix: 'cli-reuse-',
  emulator: { seed: 5, sessions: 8, maxFiles: 250, apiKey: KEY },
});
afterEach(() => {
  stand.emulator.faults.dropField = undefined;
});

async function cli(args: string[]): Promise<{ code: number; err: string; out: string }> {
  const { text, io } = capturedCliIo();
  const code = await runCli(
    ['-w', 'demo', '-q', ...args],
    { DEEPSET_API_URL: stand.emulator.url, DEEPSET_API_KEY: KEY },
    io,
  );
  return { code, ...text };
}

/** Every file under `folder` (hidden ones included) with the sha256 of its content. */
async function snapshot(folder: string): Promise<Record<string, string>> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[path.slice(folder.length + 1)] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return files;
}

const summaryOf = async (file: string) => JSON.parse(await readFile(file, 'utf8'));
const FOUR = ['failed_files.csv', 'files.csv', 'sessions.csv', 'summary.json'];

describe('a reused --out folder', () => {
  it('keeps the previous complete run untouched, plus a record, when a run fails', async () => {
    const parent = join(stand.dir, 'failing');
    const out = join(parent, 'out');
    expect((await cli(['--out', out])).code).toBe(0);
    const before = await snapshot(out);
    expect(Object.keys(before).sort()).toEqual(FOUR);

    stand.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
    const failed = await cli(['--out', out]);
    expect(failed.code).toBe(1);

    const after = await snapshot(out);
    const records = Object.keys(after).filter((name) => !FOUR.includes(name));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatch(/^failed-\d{8}T\d{9}Z-[0-9a-f]{6}\.summary\.json$/);
    const { [records[0]!]: _record, ...rest } = after;
    expect(rest).toEqual(before);
    const record = await summaryOf(join(out, records[0]!));
    expect(record).toMatchObject({ complete: false, run_id: records[0]!.slice(7, -13) });
    expect((await summaryOf(join(out, 'summary.json'))).complete).toBe(true);
    // Nothing of the attempt is left beside the folder either.
    expect(await readdir(parent)).toEqual(['out']);

    // The next complete run replaces everything, the record of the failure included; it is
    // compared with the complete run the folder held (changes.csv).
    stand.emulator.faults.dropField = undefined;
    expect((await cli(['--out', out])).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['changes.csv', ...FOUR].sort());
  });

  it('holds no files.csv of an earlier full run after a summary-mode run', async () => {
    const out = join(stand.dir, 'modes');
    expect((await cli(['--out', out, '--mode', 'full'])).code).toBe(0);
    expect((await cli(['--out', out, '--mode', 'summary'])).code).toBe(0);
    expect((await readdir(out)).sort()).toEqual([
      'changes.csv',
      'failed_files.csv',
      'sessions.csv',
      'summary.json',
    ]);
    expect((await summaryOf(join(out, 'summary.json'))).mode).toBe('summary');
  });

  it('holds one whole run when a full and a summary run finish at the same time', async () => {
    for (let round = 0; round < 3; round++) {
      const out = join(stand.dir, `concurrent-${round}`);
      const results = await Promise.all([
        cli(['--out', out, '--mode', 'full']),
        cli(['--out', out, '--mode', 'summary']),
      ]);
      expect(results.map((r) => r.code)).toEqual([0, 0]);
      const names = (await readdir(out)).sort();
      const { mode } = await summaryOf(join(out, 'summary.json'));
      expect(names).toEqual(mode === 'full' ? FOUR : FOUR.filter((name) => name !== 'files.csv'));
      expect((await readdir(join(stand.dir))).filter((name) => name.startsWith('.'))).toEqual([]);
    }
  });

  it('is also kept whole by --fanout when a run fails', async () => {
    const out = join(stand.dir, 'fanout');
    expect((await cli(['--out', out, '--fanout', '--batch-files', '300'])).code).toBe(0);
    const before = await snapshot(out);
    stand.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
    expect((await cli(['--out', out, '--fanout', '--batch-files', '300'])).code).toBe(1);
    const after = await snapshot(out);
    const records = Object.keys(after).filter((name) => name.startsWith('failed-'));
    expect(records).toHaveLength(1);
    expect(Object.keys(after)).toHaveLength(FOUR.length + 1);
    for (const name of FOUR) expect(after[name]).toBe(before[name]);
  });
});

describe('the default folder ./reports/<workspace>/<run_id>/', () => {
  it('holds the four files of a complete run, and only the incomplete summary of a failed one', async () => {
    const cwd = process.cwd();
    const work = join(stand.dir, 'default');
    await mkdir(work);
    process.chdir(work);
    try {
      expect((await cli([])).code).toBe(0);
      stand.emulator.faults.dropField = { endpoint: 'files', field: 'name' };
      expect((await cli([])).code).toBe(1);
    } finally {
      process.chdir(cwd);
    }
    const runs = (await readdir(join(work, 'reports', 'demo'))).sort();
    expect(runs).toHaveLength(2);
    expect((await readdir(join(work, 'reports', 'demo', runs[0]!))).sort()).toEqual(FOUR);
    expect(await readdir(join(work, 'reports', 'demo', runs[1]!))).toEqual(['summary.json']);
    expect((await summaryOf(join(work, 'reports', 'demo', runs[1]!, 'summary.json'))).complete).toBe(false);
  });
});
