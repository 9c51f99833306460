/**
 * No source file over 300 lines: a file that long holds more than one concept, and a newcomer
 * should find each concept in a file of its own. Counts every .ts/.tsx file of the project
 * (tests included), the way `wc -l` does.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const MAX_LINES = 300;
const ROOTS = ['lib', 'functions', 'emulator', 'infra', 'bench', 'test'];
/** Written by a tool, not by hand: their length is the document's, not a concept's. */
const GENERATED = new Set(['test/openapi/client/api-types.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Newlines in the file, as `wc -l` counts lines. */
const lineCount = (path: string) => readFileSync(path, 'utf8').split('\n').length - 1;

describe('source files', () => {
  const files = ROOTS.flatMap((root) => sourceFiles(join(process.cwd(), root)));

  it('are found (a sanity check of the walk itself)', () => {
    expect(files.length).toBeGreaterThan(200);
  });

  it(`have at most ${MAX_LINES} lines each`, () => {
    const long = files
      .map((path) => ({ file: relative(process.cwd(), path), lines: lineCount(path) }))
      .filter(({ file, lines }) => lines > MAX_LINES && !GENERATED.has(file));
    expect(long).toEqual([]);
  });
});
