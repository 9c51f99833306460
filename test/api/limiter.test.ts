import { describe, expect, it } from 'vitest';
import { AdaptiveLimiter, type ReleaseSlot } from '../../lib/api/limiter';

/** Acquires `n` slots that are granted right away (the limiter must have room). */
async function take(limiter: AdaptiveLimiter, n: number): Promise<ReleaseSlot[]> {
  return Promise.all(Array.from({ length: n }, () => limiter.acquire()));
}

describe('AdaptiveLimiter', () => {
  it('never grants more slots than the limit and hands them out FIFO', async () => {
    const limiter = new AdaptiveLimiter(2);
    const order: number[] = [];
    const [a, b] = await take(limiter, 2);
    const waiting = [3, 4].map(async (n) => {
      const release = await limiter.acquire();
      order.push(n);
      return release;
    });
    await Promise.resolve();
    expect(limiter.inFlight).toBe(2);
    expect(order).toEqual([]);
    a!('other');
    const third = await waiting[0]!;
    expect(order).toEqual([3]);
    expect(limiter.inFlight).toBe(2);
    b!('other');
    third('other');
    (await waiting[1]!)('other');
    expect(limiter.inFlight).toBe(0);
    expect(limiter.maxInFlight).toBe(2);
  });

  it('ignores a second release of the same slot', async () => {
    const limiter = new AdaptiveLimiter(3);
    const [release] = await take(limiter, 1);
    release!('success');
    release!('success');
    expect(limiter.inFlight).toBe(0);
  });

  it('halves on a throttled slot (not below 1) and counts a burst from one epoch once', async () => {
    const limiter = new AdaptiveLimiter(16);
    const burst = await take(limiter, 8);
    for (const release of burst) release('throttled');
    expect(limiter.limit).toBe(8);
    for (const expected of [4, 2, 1, 1]) {
      const [release] = await take(limiter, 1);
      release!('throttled');
      expect(limiter.limit).toBe(expected);
    }
  });

  it('recovers additively: +1 after `limit` successes, never above the maximum', async () => {
    const limiter = new AdaptiveLimiter(4);
    (await take(limiter, 1))[0]!('throttled');
    expect(limiter.limit).toBe(2);
    const succeed = async (n: number) => {
      for (let i = 0; i < n; i++) (await limiter.acquire())('success');
    };
    await succeed(1);
    expect(limiter.limit).toBe(2);
    await succeed(1);
    expect(limiter.limit).toBe(3);
    await succeed(3);
    expect(limiter.limit).toBe(4);
    await succeed(50);
    expect(limiter.limit).toBe(4);
  });

  it('lets waiters in when the limit grows back', async () => {
    const limiter = new AdaptiveLimiter(2);
    (await take(limiter, 1))[0]!('throttled');
    expect(limiter.limit).toBe(1);
    const [held] = await take(limiter, 1);
    let granted = 0;
    const waiters = [limiter.acquire(), limiter.acquire()].map(async (pending) => {
      const release = await pending;
      granted++;
      return release;
    });
    held!('success'); // 1 success at limit 1 -> limit 2: both waiters may run
    const releases = await Promise.all(waiters);
    expect(granted).toBe(2);
    expect(limiter.inFlight).toBe(2);
    for (const release of releases) release('other');
  });

  it('drops an aborted waiter from the queue and rejects with the reason', async () => {
    const limiter = new AdaptiveLimiter(1);
    const [held] = await take(limiter, 1);
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    held!('other');
    expect(limiter.inFlight).toBe(0);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('stop');
  });
});
