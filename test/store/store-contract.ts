/**
 * The `ReportStore` contract, run against every adapter (folder-store.test.ts, s3-store.test.ts).
 * `newStore` must return an empty store that no other test touches.
 */
import { describe, expect, it } from 'vitest';
import { InvalidKeyError, type ReportStore } from '../../lib/store';

const JSON_TYPE = { contentType: 'application/json' };
const CSV_TYPE = { contentType: 'text/csv; charset=utf-8' };

/** Collects a stream into one Buffer. */
export async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Chunks, then a throw: a report run failing halfway through a file. */
export async function* failingMidway(chunks: Array<string | Uint8Array>, error: Error) {
  for (const chunk of chunks) {
    yield chunk;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw error;
}

async function* generate(...chunks: Array<string | Uint8Array>) {
  for (const chunk of chunks) yield chunk;
}

async function readText(store: ReportStore, key: string): Promise<string | undefined> {
  const stream = await store.readStream(key);
  return stream && (await collect(stream)).toString('utf8');
}

/** Defines the contract's describe block for one adapter. */
export function describeStoreContract(adapter: string, newStore: () => Promise<ReportStore>): void {
  describe(`${adapter}: ReportStore contract`, () => {
    describe('write, read, readStream', () => {
      it('round-trips string, Uint8Array and async-iterable bodies', async () => {
        const store = await newStore();
        const bytes = Uint8Array.from([0, 1, 2, 250, 255]);
        await store.write('a/string.json', '{"n":1}', JSON_TYPE);
        await store.write('a/bytes.bin', bytes, { contentType: 'application/octet-stream' });
        await store.write('a/chunks.csv', generate('id,name\n', Buffer.from('1,x\n'), '2,y\n'), CSV_TYPE);

        expect((await store.read('a/string.json'))?.body).toBe('{"n":1}');
        const streamed = await store.readStream('a/bytes.bin');
        expect(streamed && [...(await collect(streamed))]).toEqual([0, 1, 2, 250, 255]);
        expect(await readText(store, 'a/chunks.csv')).toBe('id,name\n1,x\n2,y\n');
      });

      it('keeps unicode content and unicode keys intact', async () => {
        const store = await newStore();
        const text = 'name\n"Zoë\'s résumé 📄.pdf"\n日本語,𝄞\n';
        // A multi-byte character split across two byte chunks must still come back whole.
        const encoded = Buffer.from(text, 'utf8');
        const split = encoded.indexOf(Buffer.from('📄')) + 2;
        await store.write(
          'ünï/cödé 📄.csv',
          generate(encoded.subarray(0, split), encoded.subarray(split)),
          CSV_TYPE,
        );
        expect((await store.read('ünï/cödé 📄.csv'))?.body).toBe(text);
        expect(await store.list('ünï/')).toEqual(['ünï/cödé 📄.csv']);
      });

      it('writes an empty body as an empty object', async () => {
        const store = await newStore();
        await store.write('empty.csv', generate(), CSV_TYPE);
        expect(await store.read('empty.csv')).toMatchObject({ body: '' });
      });

      it('answers undefined for absent keys', async () => {
        const store = await newStore();
        expect(await store.read('missing.json')).toBeUndefined();
        expect(await store.readStream('missing/deeper.csv')).toBeUndefined();
      });

      it('overwrites, and the version follows the content', async () => {
        const store = await newStore();
        await store.write('x.json', 'one', JSON_TYPE);
        const first = await store.read('x.json');
        await store.write('x.json', 'two', JSON_TYPE);
        const second = await store.read('x.json');
        expect(second?.body).toBe('two');
        expect(second?.version).not.toBe(first?.version);
      });

      it('leaves nothing at the key when the source throws midway', async () => {
        const store = await newStore();
        const boom = new Error('the API went away');
        const write = store.write('run/files.csv', failingMidway(['id\n', '1\n', '2\n'], boom), CSV_TYPE);
        await expect(write).rejects.toThrow(/run\/files\.csv/);
        await write.catch((error: Error) => expect(error.cause).toBe(boom));
        expect(await store.read('run/files.csv')).toBeUndefined();
        expect(await store.list('')).toEqual([]);
      });

      it('keeps the previous content when an overwrite fails', async () => {
        const store = await newStore();
        await store.write('kept.csv', 'old\n', CSV_TYPE);
        await expect(
          store.write('kept.csv', failingMidway(['new\n'], new Error('x')), CSV_TYPE),
        ).rejects.toThrow();
        expect((await store.read('kept.csv'))?.body).toBe('old\n');
      });

      it('stops at an AbortSignal, with its reason, even while the source waits', async () => {
        const store = await newStore();
        const controller = new AbortController();
        async function* hangsAfterOneChunk() {
          yield 'id\n';
          controller.abort(new Error('run cancelled'));
          await new Promise(() => {});
        }
        const write = store.write('aborted.csv', hangsAfterOneChunk(), {
          ...CSV_TYPE,
          signal: controller.signal,
        });
        await expect(write).rejects.toThrow('run cancelled');
        expect(await store.read('aborted.csv')).toBeUndefined();
      });
    });

    describe('list', () => {
      it('lists every key under a prefix, recursively, sorted by UTF-8 bytes, relative to the root', async () => {
        const store = await newStore();
        const keys = [
          'w/2024-01-02/r2/b.csv',
          'w/2024-01-01/r1/a.csv',
          'w/latest.json',
          'w/Z',
          'w/é',
          'w/😀',
          'w/\uffef',
          'other/x',
        ];
        for (const key of keys) await store.write(key, key, CSV_TYPE);

        // Code-unit order would put '😀' (a surrogate pair) before '\uffef'; S3's byte order does not.
        expect(await store.list('w/')).toEqual([
          'w/2024-01-01/r1/a.csv',
          'w/2024-01-02/r2/b.csv',
          'w/Z',
          'w/latest.json',
          'w/é',
          'w/\uffef',
          'w/😀',
        ]);
        expect(await store.list('w/2024-01-0')).toEqual(['w/2024-01-01/r1/a.csv', 'w/2024-01-02/r2/b.csv']);
        expect(await store.list('')).toHaveLength(keys.length);
        expect(await store.list('nothing/')).toEqual([]);
      });
    });

    describe('writeIfUnchanged', () => {
      it('creates only when absent: succeeds once, then fails', async () => {
        const store = await newStore();
        expect(await store.writeIfUnchanged('w/latest.json', '{"run":1}', undefined, JSON_TYPE)).toBe(true);
        expect(await store.writeIfUnchanged('w/latest.json', '{"run":2}', undefined, JSON_TYPE)).toBe(false);
        expect((await store.read('w/latest.json'))?.body).toBe('{"run":1}');
      });

      it('replaces only while the version is unchanged', async () => {
        const store = await newStore();
        await store.write('w/latest.json', '{"run":1}', JSON_TYPE);
        const v1 = (await store.read('w/latest.json'))!.version;
        expect(await store.writeIfUnchanged('w/latest.json', '{"run":2}', v1, JSON_TYPE)).toBe(true);
        expect(await store.writeIfUnchanged('w/latest.json', '{"run":3}', v1, JSON_TYPE)).toBe(false);
        expect((await store.read('w/latest.json'))?.body).toBe('{"run":2}');
      });

      it('fails (no throw) when the expected key has vanished', async () => {
        const store = await newStore();
        await store.write('elsewhere.json', '{}', JSON_TYPE);
        const version = (await store.read('elsewhere.json'))!.version;
        expect(await store.writeIfUnchanged('gone.json', '{}', version, JSON_TYPE)).toBe(false);
        expect(await store.read('gone.json')).toBeUndefined();
      });

      it('lets exactly one of 20 concurrent writers win from the same version', async () => {
        const store = await newStore();
        await store.write('w/latest.json', '{"run":0}', JSON_TYPE);
        const start = (await store.read('w/latest.json'))!.version;
        const bodies = Array.from({ length: 20 }, (_, i) => `{"run":${i + 1}}`);
        const results = await Promise.all(
          bodies.map((body) => store.writeIfUnchanged('w/latest.json', body, start, JSON_TYPE)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = bodies[results.indexOf(true)];
        expect((await store.read('w/latest.json'))?.body).toBe(winner);
      });

      it('lets exactly one of 20 concurrent creators win', async () => {
        const store = await newStore();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.writeIfUnchanged('new.json', `${i}`, undefined, JSON_TYPE),
          ),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect((await store.read('new.json'))?.body).toBe(String(results.indexOf(true)));
      });
    });

    describe('presign', () => {
      it('rejects lifetimes outside 1..900 seconds with a RangeError', async () => {
        const store = await newStore();
        await store.write('a.csv', 'x', CSV_TYPE);
        for (const expiresInSeconds of [901, 3600, 0, -1, 1.5, Number.NaN]) {
          await expect(store.presign('a.csv', { expiresInSeconds })).rejects.toBeInstanceOf(RangeError);
        }
        await expect(store.presign('a.csv', { expiresInSeconds: 900 })).resolves.toMatch(/^(https?|file):/);
      });
    });

    describe('key validation', () => {
      const badKeys = [
        '../x',
        'a/../../x',
        'a//b',
        'a/./b',
        '/abs',
        'a\\b',
        'a/\u0000b',
        'tab\there',
        'cr\r',
        'del\u007f',
        '',
        'trailing/',
        'é'.repeat(513),
      ];

      it.each(badKeys)('rejects %j in every method, naming the key', async (key) => {
        const store = await newStore();
        const calls: Array<() => Promise<unknown>> = [
          () => store.write(key, 'x', CSV_TYPE),
          () => store.read(key),
          () => store.readStream(key),
          () => store.writeIfUnchanged(key, 'x', undefined, JSON_TYPE),
          () => store.presign(key, { expiresInSeconds: 60 }),
        ];
        for (const call of calls) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(InvalidKeyError);
          expect((error as InvalidKeyError).key).toBe(key);
          expect((error as Error).message).toContain(JSON.stringify(key).slice(0, 50));
        }
        expect(await store.list('')).toEqual([]);
      });

      it('rejects traversal in list prefixes', async () => {
        const store = await newStore();
        for (const prefix of ['../', '/abs/', 'a//', 'a/../b']) {
          await expect(store.list(prefix)).rejects.toBeInstanceOf(InvalidKeyError);
        }
      });
    });
  });
}
