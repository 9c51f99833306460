import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { forEachInOrder } from '../../lib/report/in-order';
import { compareInstants } from '../../lib/report/instant';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('forEachInOrder', () => {
  it('consumes in order while reading ahead at most `window` items', async () => {
    let active = 0;
    let maxActive = 0;
    const consumed: number[] = [];
    const items = Array.from({ length: 30 }, (_, i) => i);
    await forEachInOrder(
      items,
      5,
      async (i) => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep((i * 7) % 5);
        active--;
        return i;
      },
      async (i) => {
        consumed.push(i);
      },
    );
    expect(consumed).toEqual(items);
    expect(maxActive).toBeLessThanOrEqual(5);
    expect(maxActive).toBeGreaterThan(1);
  });

  it('fails as soon as any read fails, not when its turn comes', async () => {
    const started = Date.now();
    const run = forEachInOrder(
      [0, 1, 2],
      3,
      async (i) => {
        if (i === 2) throw new Error('boom 2');
        await sleep(i === 0 ? 2_000 : 0);
        return i;
      },
      async () => {},
    );
    await expect(run).rejects.toThrow('boom 2');
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});

describe('compareInstants', () => {
  it('orders by instant across Z/+00:00 and microseconds', () => {
    expect(compareInstants('2026-01-01T00:00:00Z', '2026-01-01T00:00:00+00:00')).toBe(0);
    expect(compareInstants('2026-01-01T00:00:00.123456Z', '2026-01-01T00:00:00.123457Z')).toBe(-1);
    expect(compareInstants('2026-01-01T00:00:01Z', '2026-01-01T00:00:00.999999Z')).toBe(1);
  });
});

describe('forEachInOrder memory', () => {
  it('keeps no consumed result reachable while the walk goes on', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const consumed: WeakRef<object>[] = [];
    let release: () => void = () => {};
    const last = new Promise<void>((resolve) => {
      release = resolve;
    });
    const walk = forEachInOrder(
      [0, 1, 2, 3],
      2,
      async (i) => {
        if (i === 3) await last;
        return { i, payload: new Array(1000).fill(i) };
      },
      async (result) => {
        consumed.push(new WeakRef(result));
      },
    );
    while (consumed.length < 3) await sleep(1);
    // WeakRefs created in this job stay alive until it ends; collect in a later one.
    await sleep(1);
    gc();
    // The latest result may still sit in the suspended loop's frame; none before it may stay.
    expect(consumed.slice(0, 2).map((ref) => ref.deref())).toEqual([undefined, undefined]);
    release();
    await walk;
  });
});
