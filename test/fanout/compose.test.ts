/**
 * How the finalizer's CSVs are put together: the part plan (pure), `S3Store.compose` through the
 * real AWS SDK against s3rver (UploadPartCopy for parts of 5 MiB or more, its shim's 5 MiB rule
 * enforced), and `FolderStore.compose`; plus `remove`, which clears the scratch.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type PlannedPart, planComposition, type SizedPiece } from '../../lib/store/compose-plan';
import { FolderStore } from '../../lib/store/folder-store';
import { composeByPartCopy } from '../../lib/store/s3-compose';
import { MAX_PARTS, MIN_PART_BYTES } from '../../lib/store/s3-limits';
import { S3Store } from '../../lib/store/s3-store';
import type { ComposingStore, Piece } from '../../lib/store/store';
import { bytesOf } from './fixture';

const MiB = 1024 * 1024;
const text = (t: string): SizedPiece => ({ text: t, bytes: Buffer.byteLength(t) });
const key = (k: string, bytes: number): SizedPiece => ({ key: k, bytes });
const shape = (parts: PlannedPart[] | undefined) =>
  parts?.map((p) =>
    p.kind === 'copy'
      ? `copy ${p.key}`
      : `upload ${p.pieces.map((x) => ('key' in x ? x.key : 'text')).join('+')}`,
  );

describe('planComposition', () => {
  it('copies a large part once the parts before it reach 5 MiB, and uploads the rest', () => {
    const pieces = [text('h\r\n'), key('a', 6 * MiB), key('b', 1000), key('c', 5 * MiB), key('d', 10)];
    expect(shape(planComposition(pieces))).toEqual(['upload text+a+b', 'copy c', 'upload d']);
  });

  it('copies a large first piece when nothing precedes it, and skips empty pieces', () => {
    expect(shape(planComposition([text(''), key('a', 5 * MiB), key('e', 0), key('b', 7 * MiB)]))).toEqual([
      'copy a',
      'copy b',
    ]);
  });

  it('streams instead when no piece can be copied or S3 limits would break', () => {
    expect(planComposition([text('h'), key('a', 4 * MiB), key('b', 4 * MiB)])).toBeUndefined();
    expect(planComposition([text('h'), key('a', 4 * MiB), key('b', 6 * MiB)])).toBeUndefined();
    const many = Array.from({ length: MAX_PARTS + 1 }, (_, i) => key(`p${i}`, MIN_PART_BYTES));
    expect(planComposition(many)).toBeUndefined();
    expect(planComposition([key('huge', 6 * 1024 * MiB)])).toBeUndefined();
  });

  it('keeps every piece in order and every part but the last at 5 MiB or more', () => {
    const piece = fc.oneof(
      fc.nat({ max: 3 * MiB }),
      fc.integer({ min: 5 * MiB, max: 9 * MiB }),
      fc.constant(0),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (sizes) => {
        const pieces = [text('header\r\n'), ...sizes.map((bytes, i) => key(`k${i}`, bytes))];
        const parts = planComposition(pieces);
        if (!parts) return;
        const order = parts.flatMap((p) =>
          p.kind === 'copy' ? [p.key] : p.pieces.map((x) => ('key' in x ? x.key : 'h')),
        );
        expect(order).toEqual(pieces.filter((p) => p.bytes > 0).map((p) => ('key' in p ? p.key : 'h')));
        for (const part of parts.slice(0, -1)) expect(part.bytes).toBeGreaterThanOrEqual(MIN_PART_BYTES);
        expect(parts.some((p) => p.kind === 'copy')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

let s3: LocalS3;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fanout-compose-'));
  s3 = await startLocalS3({ directory: join(dir, 's3') });
});
afterAll(async () => {
  await s3?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Distinct content per piece, so any reordering or loss shows. */
const content = (label: string, bytes: number) => Buffer.alloc(bytes, label);

async function putAll(store: ComposingStore, parts: Record<string, Buffer>) {
  await Promise.all(
    Object.entries(parts).map(([k, body]) => store.write(k, body, { contentType: 'text/csv' })),
  );
}

describe('S3Store.compose (s3rver)', () => {
  const store = () => new S3Store({ client: s3.client, bucket: s3.bucket, prefix: 'compose/' });

  it('copies parts of 5 MiB or more inside S3, uploads the rest, and the bytes come out in order', async () => {
    const parts = {
      'run/p0.csv': content('a', 200_000),
      'run/p1.csv': content('b', 5 * MiB + 3),
      'run/p2.csv': content('c', 10),
      'run/p3.csv': content('d', 5 * MiB),
      'run/p4.csv': content('e', 0),
      'run/p5.csv': content('f', 1234),
    };
    await putAll(store(), parts);
    const pieces: Piece[] = [{ text: 'header\r\n' }, ...Object.keys(parts).map((k) => ({ key: k }))];
    const result = await store().compose('run/out.csv', pieces, { contentType: 'text/csv' });
    expect(result).toEqual({ strategy: 'multipart-copy', uploadedParts: 2, copiedParts: 1 });
    const expected = Buffer.concat([Buffer.from('header\r\n'), ...Object.values(parts)]);
    expect((await bytesOf(store(), 'run/out.csv'))!.equals(expected)).toBe(true);
  });

  it('also streams an uploaded part with its length instead of buffering it (parts over 64 MiB)', async () => {
    const parts = { 'stream/a.csv': content('a', 5 * MiB + 1), 'stream/b.csv': content('b', 5 * MiB) };
    await putAll(store(), parts);
    const target = store();
    const plan = planComposition([
      { text: 'h', bytes: 1 },
      { key: 'stream/a.csv', bytes: 5 * MiB + 1 },
      { key: 'stream/b.csv', bytes: 5 * MiB },
    ])!;
    const composeTarget = {
      client: s3.client,
      bucket: s3.bucket,
      objectKey: (k: string) => `compose/${k}`,
      store: target,
      bufferedPartBytes: 0,
    };
    expect(await composeByPartCopy(composeTarget, 'stream/out.csv', plan, 'text/csv')).toEqual({
      uploadedParts: 1,
      copiedParts: 1,
    });
    const expected = Buffer.concat([Buffer.from('h'), ...Object.values(parts)]);
    expect((await bytesOf(target, 'stream/out.csv'))!.equals(expected)).toBe(true);
  });

  it('streams parts under 5 MiB through a plain write', async () => {
    await putAll(store(), { 'small/a.csv': content('a', 100), 'small/b.csv': content('b', 4 * MiB) });
    const result = await store().compose(
      'small/out.csv',
      [{ text: 'h\r\n' }, { key: 'small/a.csv' }, { key: 'small/b.csv' }],
      { contentType: 'text/csv' },
    );
    expect(result).toEqual({ strategy: 'stream' });
    expect((await bytesOf(store(), 'small/out.csv'))?.length).toBe(3 + 100 + 4 * MiB);
  });

  it('fails naming a missing part, keeps the target as it was, and leaves no upload open', async () => {
    await putAll(store(), { 'gone/out.csv': Buffer.from('before'), 'gone/big.csv': content('g', 5 * MiB) });
    for (const pieces of [
      [{ key: 'gone/big.csv' }, { key: 'gone/missing.csv' }],
      [{ text: 'h' }, { key: 'gone/big.csv' }, { key: 'gone/big.csv' }, { key: 'gone/missing.csv' }],
    ]) {
      await expect(store().compose('gone/out.csv', pieces, { contentType: 'text/csv' })).rejects.toThrow(
        /gone\/missing\.csv/,
      );
    }
    expect((await bytesOf(store(), 'gone/out.csv'))?.toString()).toBe('before');
    const pending = await s3.client.send(
      new (await import('@aws-sdk/client-s3')).ListMultipartUploadsCommand({ Bucket: s3.bucket }),
    );
    expect(pending.Uploads ?? []).toEqual([]);
  });

  it('removes keys, absent ones included', async () => {
    await putAll(store(), {
      'rm/a': Buffer.from('a'),
      'rm/b/c': Buffer.from('c'),
      'rm/keep': Buffer.from('k'),
    });
    await store().remove(['rm/a', 'rm/b/c', 'rm/never']);
    expect(await store().list('rm/')).toEqual(['rm/keep']);
  });
});

describe('FolderStore.compose', () => {
  it('streams the pieces into the target, and remove() prunes the emptied folders', async () => {
    const root = await mkdtemp(join(dir, 'folder-'));
    const store = new FolderStore(root);
    await putAll(store, { 'fanout/a.csv': content('a', 10), 'fanout/b.csv': content('b', 20) });
    const result = await store.compose(
      'out.csv',
      [{ text: 'h\r\n' }, { key: 'fanout/a.csv' }, { key: 'fanout/b.csv' }],
      {
        contentType: 'text/csv',
      },
    );
    expect(result).toEqual({ strategy: 'stream' });
    expect((await bytesOf(store, 'out.csv'))!.toString()).toBe(`h\r\n${'a'.repeat(10)}${'b'.repeat(20)}`);
    await expect(
      store.compose('bad.csv', [{ key: 'fanout/none.csv' }], { contentType: 'text/csv' }),
    ).rejects.toThrow(/fanout\/none\.csv/);
    await store.remove(await store.list('fanout/'));
    expect((await readdir(root)).sort()).toEqual(['out.csv']);
  });
});
