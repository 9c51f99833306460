/**
 * TypeScript types from an OpenAPI document with openapi-typescript's CLI (the pinned
 * devDependency), run as a separate process the way a client team runs it, formatted by Biome
 * so the committed copy passes `npm run lint`.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

const HEADER = `/**
 * The HTTP API's types, generated from /openapi.json by openapi-typescript for the typed client
 * next to this file. test/openapi/typed-client.test.ts fails when they differ from what the
 * served document generates; \`npx vitest run test/openapi/typed-client.test.ts -u\` rewrites them.
 */
`;

/** Writes `doc` and its types (`api-types.ts`) into `dir`; returns the types' text. */
export async function generateTypes(doc: unknown, dir: string): Promise<string> {
  const input = join(dir, 'openapi.json');
  const output = join(dir, 'api-types.ts');
  await writeFile(input, JSON.stringify(doc));
  const cli = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
  // openapi-typescript needs TypeScript 5's compiler API: see typescript-5-hook.mjs.
  const hook = join(ROOT, 'test', 'openapi', 'typescript-5-hook.mjs');
  await run(process.execPath, ['--import', hook, cli, input, '--output', output], { cwd: dir });
  const biome = join(ROOT, 'node_modules', '.bin', 'biome');
  const formatted = spawnSync(biome, ['format', '--stdin-file-path=api-types.ts'], {
    cwd: ROOT,
    input: HEADER + (await readFile(output, 'utf8')),
    encoding: 'utf8',
  });
  if (formatted.status !== 0) throw new Error(`biome format failed: ${formatted.stderr}`);
  await writeFile(output, formatted.stdout);
  return formatted.stdout;
}

/** Runs the project's tsc (TypeScript 7) on `dir`, with the repo's compiler options; returns its output. */
export async function typeCheck(dir: string): Promise<{ ok: boolean; output: string }> {
  const tsconfig = {
    extends: join(ROOT, 'tsconfig.json'),
    compilerOptions: { types: [] },
    include: ['*.ts'],
  };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  return run(tsc, ['--noEmit', '-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
    ({ stdout }) => ({ ok: true, output: stdout }),
    (error: { stdout?: string; stderr?: string }) => ({
      ok: false,
      output: `${error.stdout}${error.stderr}`,
    }),
  );
}
