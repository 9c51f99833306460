import { describe, expect, it } from 'vitest';
import { abortable, bodyChunks } from '../../lib/store';

async function toArray<T>(source: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of source) items.push(item);
  return items;
}

describe('bodyChunks', () => {
  it('encodes strings as UTF-8 and passes bytes through', async () => {
    async function* mixed() {
      yield 'é';
      yield Uint8Array.from([1, 2]);
    }
    const chunks = await toArray(bodyChunks(mixed()));
    expect(chunks.map((c) => [...c])).toEqual([
      [0xc3, 0xa9],
      [1, 2],
    ]);
    expect((await toArray(bodyChunks('ab'))).map((c) => [...c])).toEqual([[0x61, 0x62]]);
  });

  it('rejects chunks that are neither strings nor bytes', async () => {
    async function* bad() {
      yield 42 as unknown as string;
    }
    await expect(toArray(bodyChunks(bad()))).rejects.toThrow(TypeError);
    await expect(toArray(bodyChunks(null as unknown as string))).rejects.toThrow(TypeError);
  });
});

describe('abortable', () => {
  it('passes everything through without a signal or while not aborted', async () => {
    async function* three() {
      yield* [1, 2, 3];
    }
    expect(await toArray(abortable(three(), undefined))).toEqual([1, 2, 3]);
    expect(await toArray(abortable(three(), new AbortController().signal))).toEqual([1, 2, 3]);
  });

  it('throws the reason at once when already aborted', async () => {
    async function* never() {
      yield 1;
    }
    await expect(toArray(abortable(never(), AbortSignal.abort(new Error('late'))))).rejects.toThrow('late');
  });

  it('throws the reason while the source is stuck, and asks the source to stop', async () => {
    const controller = new AbortController();
    let returned = false;
    const stuck: AsyncIterator<number> & AsyncIterable<number> = {
      next: () => new Promise(() => {}),
      return: async () => {
        returned = true;
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    setTimeout(() => controller.abort(new Error('timeout')), 10);
    await expect(toArray(abortable(stuck, controller.signal))).rejects.toThrow('timeout');
    expect(returned).toBe(true);
  });
});
