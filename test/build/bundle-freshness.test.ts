/**
 * A stale or missing CLI bundle never runs: the freshness check on its own (a stamp of file
 * hashes against the files as they are), then the launcher in a copy of the project, where
 * sources can be edited and esbuild taken away without touching this checkout. Also that every
 * dependency with an install script is approved, so `npm ci` prints no install-scripts warning.
 */
import { execFile } from 'node:child_process';
import { appendFile, cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../build/build-cli.js';
import { hashFiles, staleReason } from '../../build/freshness.js';

const run = promisify(execFile);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bundle-freshness-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('staleReason', () => {
  it('accepts the files as built, and names the first that changed or is gone', async () => {
    const root = join(dir, 'unit');
    await mkdir(join(root, 'src'), { recursive: true });
    await writeFile(join(root, 'src/a.ts'), 'export const a = 1;\n');
    await writeFile(join(root, 'src/b.ts'), 'export const b = 2;\n');
    const stamp = { entry: 'cli-x/cli.js', inputs: await hashFiles(root, ['src/a.ts', 'src/b.ts']) };
    expect(await staleReason(root, stamp)).toBeUndefined();

    await writeFile(join(root, 'src/b.ts'), 'export const b = 3;\n');
    expect(await staleReason(root, stamp)).toBe('src/b.ts changed since it was built');
    await rm(join(root, 'src/a.ts'));
    expect(await staleReason(root, stamp)).toBe('src/a.ts is gone since it was built');
    expect(await staleReason(root, undefined)).toBe('dist/ holds no build');
  });
});

describe('the launcher in a copy of the project', () => {
  let copy: string;
  const launch = async () => {
    try {
      const { stdout, stderr } = await run(process.execPath, [
        join(copy, 'bin/ingestion-report.js'),
        '--help',
      ]);
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };

  beforeAll(async () => {
    copy = join(dir, 'project');
    for (const name of ['bin', 'build', 'functions', 'lib', 'emulator']) {
      await cp(join(PROJECT_ROOT, name), join(copy, name), { recursive: true });
    }
    for (const name of ['package.json', 'package-lock.json', 'tsconfig.json']) {
      await cp(join(PROJECT_ROOT, name), join(copy, name));
    }
    // The real packages, one link each, so that one can be taken away.
    await mkdir(join(copy, 'node_modules'));
    for (const name of await readdir(join(PROJECT_ROOT, 'node_modules'))) {
      await symlink(join(PROJECT_ROOT, 'node_modules', name), join(copy, 'node_modules', name));
    }
  });

  it('builds the missing bundle, says so, then runs it', async () => {
    const first = await launch();
    expect(first.stderr).toBe('ingestion-report: rebuilding the CLI bundle (dist/ holds no build)\n');
    expect(first).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage: /) });
    expect(await launch()).toMatchObject({ code: 0, stderr: '' });
  });

  it('rebuilds after a source changed, and runs the new code', async () => {
    const args = join(copy, 'functions/cli/args.ts');
    const source = await readFile(args, 'utf8');
    await writeFile(args, source.replace('usage: npm run report', 'usage (edited): npm run report'));
    const edited = await launch();
    expect(edited.stderr).toBe(
      'ingestion-report: rebuilding the CLI bundle (functions/cli/args.ts changed since it was built)\n',
    );
    expect(edited).toMatchObject({ code: 0, stdout: expect.stringMatching(/^usage \(edited\): /) });
  });

  it('refuses with one line, running nothing, when it cannot rebuild', async () => {
    await rm(join(copy, 'node_modules/esbuild'));
    await appendFile(join(copy, 'lib/api/client.ts'), '\n// edited\n');
    const result = await launch();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').filter(Boolean)).toEqual([
      'ingestion-report: rebuilding the CLI bundle (lib/api/client.ts changed since it was built)',
      'error: the CLI bundle in dist/ is out of date and esbuild is not installed to rebuild it: run `npm ci`',
    ]);
  });
});

describe('install scripts', () => {
  it('are approved in package.json for every locked package that has one', async () => {
    const lock = JSON.parse(await readFile(join(PROJECT_ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const manifest = JSON.parse(await readFile(join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
      allowScripts?: Record<string, boolean>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    expect(withScripts).toContain('esbuild');
    const unapproved = withScripts.filter((name) => manifest.allowScripts?.[name] !== true);
    expect(unapproved).toEqual([]);
  });
});
