/**
 * A CLI run killed with SIGKILL cannot clean up after itself: the next run must. The CLI runs
 * as a real subprocess (TMPDIR pointed at a test folder) against a slow emulator over real
 * HTTP, is killed mid-run, and a second run then finds and removes the staging folder, the
 * hidden temp files and the spill folder the killed one left, while the output folder still
 * holds the earlier complete run, untouched.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { spillRoot } from '../../lib/report/spill-folder';
import { useCliStand } from '../support/cli-stand';

const KEY = 'cli-kill-key-9d02aa';

const stand = useCliStand({
  folderPrefix: 'cli-kill-',
  emulator: { seed: 9, sessions: 40, maxFiles: 400, apiKey: KEY },
});

function startCli(out: string): { child: ChildProcess; exit: Promise<number | null> } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'functions/cli/main.ts', '-w', 'demo', '-q', '--concurrency', '2', '--out', out],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DEEPSET_API_URL: stand.emulator.url,
        DEEPSET_API_KEY: KEY,
        TMPDIR: join(stand.dir, 'tmp'),
      },
    },
  );
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, exit: new Promise((resolve) => child.once('exit', (code) => resolve(code))) };
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

/** Every path under `folder`, hidden ones included ([] when it does not exist). */
async function everything(folder: string): Promise<string[]> {
  return (await readdir(folder, { recursive: true }).catch(() => [] as string[])).sort();
}

/** What the report's runs keep in the temp folder (tsx keeps its cache there too), its root aside. */
async function spillDebris(tmp: string): Promise<string[]> {
  const root = basename(spillRoot(tmp));
  return (await everything(tmp)).filter((path) => path.startsWith('ingestion-') && path !== root);
}

async function waitFor(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
    if (await condition()) return;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('after kill -9 of a CLI run', () => {
  it('the next run removes the debris, and the output folder keeps the earlier run', async () => {
    const parent = join(stand.dir, 'reports');
    const out = join(parent, 'out');
    const tmp = join(stand.dir, 'tmp');
    expect(await startCli(out).exit).toBe(0);
    const complete = await snapshot(out);

    stand.emulator.faults.latencyMs = 100;
    const killed = startCli(out);
    const pid = killed.child.pid!;
    await waitFor(
      async () =>
        (await everything(parent)).some((path) => path.endsWith('.store-tmp')) &&
        (await spillDebris(tmp)).length > 0,
      'the run to be under way',
    );
    killed.child.kill('SIGKILL');
    expect(await killed.exit).toBeNull();
    expect((await everything(parent)).filter((path) => path.endsWith('.store-tmp'))).not.toEqual([]);
    expect(await spillDebris(tmp)).not.toEqual([]);
    expect(await snapshot(out)).toEqual(complete);
    // A temp file a killed process left in the folder itself (a failure record being written).
    await writeFile(join(out, `.files.csv.${pid}-0123456789ab.store-tmp`), 'half a row');

    stand.emulator.faults.latencyMs = 0;
    expect(await startCli(out).exit).toBe(0);
    // The earlier run, still in the folder, is the one the new run compares with: changes.csv.
    expect(await everything(parent)).toEqual(
      ['out', ...[...Object.keys(complete), 'changes.csv'].map((name) => join('out', name))].sort(),
    );
    expect(await spillDebris(tmp)).toEqual([]);
  });
});
