/**
 * The project's own import graph, read from the source text: every `import`/`export ... from`
 * and `import()` of a relative path, resolved to a file, and every bare package name. Enough to
 * check the layering and find import circles without a dependency-graph tool.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Imports of one source file: project files (relative to the root) and packages. */
export interface FileImports {
  files: string[];
  packages: string[];
}

const SOURCE = /\.tsx?$/;
const SPECIFIERS = [
  /\bfrom\s*['"]([^'"]+)['"]/g,
  /\bimport\s*['"]([^'"]+)['"]/g,
  /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
];

/** Every .ts/.tsx file under `dirs` (relative to `root`), with what it imports. */
export function importGraph(root: string, dirs: readonly string[]): Map<string, FileImports> {
  const graph = new Map<string, FileImports>();
  for (const file of dirs.flatMap((dir) => sourceFiles(join(root, dir)))) {
    const text = withoutComments(readFileSync(file, 'utf8'));
    const imports: FileImports = { files: [], packages: [] };
    for (const specifier of SPECIFIERS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]!))) {
      if (specifier.startsWith('.')) {
        const target = resolveSource(resolve(dirname(file), specifier));
        if (target) imports.files.push(relative(root, target));
      } else {
        imports.packages.push(specifier);
      }
    }
    graph.set(relative(root, file), imports);
  }
  return graph;
}

/** The import circles of `graph`: each a list of files that reach each other (Tarjan's SCCs). */
export function importCircles(graph: Map<string, FileImports>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    for (const next of graph.get(file)?.files ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const members = stack.splice(stack.indexOf(file));
    const selfImport = graph.get(file)?.files.includes(file) ?? false;
    if (members.length > 1 || selfImport) circles.push(members.sort());
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return circles;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return SOURCE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function resolveSource(base: string): string | undefined {
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')];
  return candidates.find((path) => SOURCE.test(path) && isFile(path));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Comments may quote import lines; string contents that look like comments are rare enough here. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}
