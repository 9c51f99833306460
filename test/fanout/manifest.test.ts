/** Cutting sessions into batches (pure), and the scratch layout's keys. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Session } from '../../lib/api/schemas';
import { countsKey, errorKey, manifestKey, partKey } from '../../lib/fanout/layout';
import { DEFAULT_BATCH_LIMITS, Manifest, splitIntoBatches } from '../../lib/fanout/manifest';

const session = (n: number, name = 'Ada'): Session => ({
  session_id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created_at: '2026-11-19T10:00:00.123456Z',
  expires_at: null,
  created_by: { given_name: name, family_name: 'Lovelace', user_id: 'u1' },
  status: 'CLOSED',
  write_mode: 'KEEP',
});
const sessions = (n: number) => Array.from({ length: n }, (_, i) => session(i));

describe('splitIntoBatches', () => {
  it('fills batches up to the file limit, and gives a session over it a batch of its own', () => {
    const batches = splitIntoBatches(sessions(5), [30_000, 20_000, 60_000, 10, 10], DEFAULT_BATCH_LIMITS);
    expect(batches.map((b) => [b.index, b.first, b.last, b.files])).toEqual([
      [0, 0, 1, 50_000],
      [1, 2, 2, 60_000],
      [2, 3, 4, 20],
    ]);
    expect(batches[0]!.sessions.map((s) => s.session_id)).toEqual([
      session(0).session_id,
      session(1).session_id,
    ]);
  });

  it("bounds each batch's JSON, so a map item stays far below Step Functions' 256 KiB", () => {
    const many = Array.from({ length: 2000 }, (_, i) => session(i, 'x'.repeat(200)));
    const batches = splitIntoBatches(many, new Array(2000).fill(0), DEFAULT_BATCH_LIMITS);
    expect(batches.length).toBeGreaterThan(1);
    for (const batch of batches) expect(JSON.stringify(batch).length).toBeLessThan(140 * 1024);
  });

  it('makes no batch of no sessions, and refuses counts that do not match the sessions', () => {
    expect(splitIntoBatches([], [])).toEqual([]);
    expect(() => splitIntoBatches(sessions(2), [1])).toThrow(RangeError);
  });

  it("counts the array's brackets: sessions whose JSON is one byte over the limit are split", () => {
    const three = sessions(3);
    const exact = Buffer.byteLength(JSON.stringify(three));
    expect(splitIntoBatches(three, [0, 0, 0], { maxFiles: 1, maxBytes: exact })).toHaveLength(1);
    expect(splitIntoBatches(three, [0, 0, 0], { maxFiles: 1, maxBytes: exact - 1 })).toHaveLength(2);
  });

  it('puts every session in exactly one batch, in order, within the limits unless alone', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 500 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 800 }),
        fc.integer({ min: 400, max: 4000 }),
        (counts, maxFiles, maxBytes) => {
          const input = sessions(counts.length);
          const batches = splitIntoBatches(input, counts, { maxFiles, maxBytes });
          expect(batches.flatMap((b) => b.sessions)).toEqual(input);
          batches.forEach((batch, index) => {
            expect(batch.index).toBe(index);
            expect(batch.sessions).toHaveLength(batch.last - batch.first + 1);
            expect(batch.files).toBe(counts.slice(batch.first, batch.last + 1).reduce((a, b) => a + b, 0));
            if (batch.sessions.length > 1) {
              expect(batch.files).toBeLessThanOrEqual(maxFiles);
              expect(Buffer.byteLength(JSON.stringify(batch.sessions))).toBeLessThanOrEqual(maxBytes);
            }
          });
        },
      ),
      { numRuns: 150 },
    );
  });

  it('round-trips through the manifest file unchanged (the worker reads what the plan wrote)', () => {
    const batches = splitIntoBatches(sessions(7), [1, 2, 3, 4, 5, 6, 7], { maxFiles: 5, maxBytes: 10_000 });
    expect(Manifest.parse(JSON.parse(JSON.stringify(batches)))).toEqual(batches);
  });
});

describe('scratch layout', () => {
  it('keeps everything under <run>/fanout/, batch numbers zero-padded to list in order', () => {
    const run = 'acme/2026-11-20/20261120T030000123Z-abc123/';
    expect(manifestKey(run)).toBe(`${run}fanout/manifest.json`);
    expect(partKey(run, 'failed_files', 7)).toBe(`${run}fanout/failed_files-00007.csv`);
    expect(countsKey(run, 12345)).toBe(`${run}fanout/counts-12345.json`);
    expect(errorKey(run, 'plan')).toBe(`${run}fanout/error-plan.json`);
    expect(partKey('', 'files', 0)).toBe('fanout/files-00000.csv');
  });
});
