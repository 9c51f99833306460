/**
 * The benchmark's cold-start table bundles each Lambda entry itself; when an entry moves, the
 * bench would fail only when someone runs it. This pins its list to the files that exist and to
 * the entries the service stack names.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LAMBDA_ENTRIES } from '../../bench/lambda-cold-start';

/** The entry paths written in the service stack (literal, or the fan-out steps' template). */
function stackEntries(): string[] {
  const source = readFileSync('infra/service-stack.ts', 'utf8');
  const literal = [...source.matchAll(/entry: '([^']+)'/g)].map((m) => m[1]!);
  const fanout = /entry: `functions\/fanout\/\$\{name\}\/handler\.ts`/.test(source)
    ? ['plan', 'worker', 'finalize'].map((step) => `functions/fanout/${step}/handler.ts`)
    : [];
  return [...literal, ...fanout].sort();
}

describe("the bench's Lambda entries", () => {
  it('exist', () => {
    for (const entry of Object.values(LAMBDA_ENTRIES)) expect(existsSync(entry), entry).toBe(true);
  });

  it("are the service stack's functions", () => {
    expect(stackEntries().length).toBeGreaterThanOrEqual(6);
    expect([...Object.values(LAMBDA_ENTRIES)].sort()).toEqual(stackEntries());
  });
});
