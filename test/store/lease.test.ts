/**
 * The workspace lease on s3rver (conditional PUTs through the real AWS SDK) and on a folder:
 * one holder at a time, also among concurrent contenders; an expired lease is taken over; a
 * holder that stalled past its expiry finds out on its next refresh. A lease shared by the
 * steps of one run (adoptLease) survives the siblings' refreshes, and is lost to another holder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { FolderStore } from '../../lib/store/folder-store';
import { acquireLease, adoptLease, readLease } from '../../lib/store/lease';
import { S3Store } from '../../lib/store/s3-store';
import type { ReportStore } from '../../lib/store/store';

let s3: LocalS3;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lease-'));
  s3 = await startLocalS3({ directory: join(dir, 's3') });
});
afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each([
  {
    name: 's3rver',
    open: (): ReportStore => new S3Store({ client: s3.client, bucket: s3.bucket, prefix: 'l/' }),
  },
  { name: 'a folder', open: (): ReportStore => new FolderStore(join(dir, 'folder')) },
])('a lease ($name)', ({ open }) => {
  it('has one holder among 10 concurrent contenders; the others are told who holds it', async () => {
    const store = open();
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        acquireLease(store, 'ws/one.lease', `run-${i}`, { ttlMs: 60_000 }),
      ),
    );
    const winners = attempts.flatMap((a) => (a.acquired ? [a.lease.holder] : []));
    expect(winners).toHaveLength(1);
    for (const attempt of attempts) {
      if (!attempt.acquired) expect(attempt.heldBy.holder).toBe(winners[0]);
    }
    expect((await readLease(store, 'ws/one.lease'))?.holder).toBe(winners[0]);
  });

  it('is refused while live, taken over once expired, and the stalled holder loses it', async () => {
    const store = open();
    const first = await acquireLease(store, 'ws/two.lease', 'old-run', { ttlMs: 300 });
    if (!first.acquired) throw new Error('the first lease should be free');
    const refused = await acquireLease(store, 'ws/two.lease', 'new-run', { ttlMs: 300 });
    expect(refused.acquired).toBe(false);
    expect(await first.lease.refresh(), 'a live holder refreshes').toBe(true);
    await sleep(400);
    const takeover = await acquireLease(store, 'ws/two.lease', 'new-run', { ttlMs: 60_000 });
    expect(takeover.acquired).toBe(true);
    expect(await first.lease.refresh(), 'the stalled holder learns it lost the lease').toBe(false);
    expect(first.lease.held).toBe(false);
    expect((await readLease(store, 'ws/two.lease'))?.holder).toBe('new-run');
  });

  it('is free again once released, and adopted by its own holder', async () => {
    const store = open();
    const first = await acquireLease(store, 'ws/three.lease', 'run-a', { ttlMs: 60_000 });
    if (!first.acquired) throw new Error('the first lease should be free');
    const adopted = await acquireLease(store, 'ws/three.lease', 'run-a', { ttlMs: 60_000 });
    expect(adopted.acquired, 'the same run (handed over) adopts it').toBe(true);
    if (adopted.acquired) await adopted.lease.release();
    expect((await acquireLease(store, 'ws/three.lease', 'run-b', { ttlMs: 60_000 })).acquired).toBe(true);
  });

  it('adopted by several processes of one run: their refreshes interleave; another holder ends it', async () => {
    const store = open();
    const key = 'ws/four.lease';
    const first = await acquireLease(store, key, 'run-f', { ttlMs: 60_000 });
    expect(first.acquired).toBe(true);
    const [a, b] = await Promise.all([
      adoptLease(store, key, 'run-f', { ttlMs: 60_000 }),
      adoptLease(store, key, 'run-f', { ttlMs: 60_000 }),
    ]);
    expect(await a!.refresh()).toBe(true);
    expect(await b!.refresh(), "a sibling's refresh is no loss").toBe(true);
    expect(await Promise.all([a!.refresh(), b!.refresh()])).toEqual([true, true]);
    expect(
      await adoptLease(store, key, 'run-g', { ttlMs: 60_000 }),
      'not adopted by another run',
    ).toBeUndefined();

    await store.write(
      key,
      JSON.stringify({ holder: 'run-g', expires_at: new Date(Date.now() + 60_000).toISOString() }),
      { contentType: 'application/json' },
    );
    expect(await a!.refresh()).toBe(false);
    expect(await adoptLease(store, key, 'run-f', { ttlMs: 60_000 })).toBeUndefined();
    expect((await readLease(store, key))?.holder).toBe('run-g');
  });
});
