/**
 * The layering, checked on the import graph: no import circles anywhere, and `lib` (the domain
 * the Lambdas ship) imports nothing from the entry points or the stand-ins for remote services
 * (the API emulator, the embedded S3), and never s3rver.
 */
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph } from './import-graph';

const graph = importGraph(process.cwd(), ['lib', 'functions', 'emulator', 'infra', 'bench', 'test']);

describe('the import graph', () => {
  it('is read from the source (a sanity check of the reader itself)', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(graph.get('lib/report/run-report.ts')?.files).toContain('lib/report/columns.ts');
    expect(graph.get('emulator/s3/local-s3.ts')?.packages).toContain('s3rver');
  });

  it('has no import circles', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('keeps lib free of the entry points, the stand-ins and s3rver', () => {
    const outward = [...graph]
      .filter(([file]) => file.startsWith('lib/'))
      .flatMap(([file, imports]) => [
        ...imports.files
          .filter((target) => !target.startsWith('lib/'))
          .map((target) => `${file} -> ${target}`),
        ...imports.packages.filter((name) => name === 's3rver').map((name) => `${file} -> ${name}`),
      ]);
    expect(outward).toEqual([]);
  });
});
