/**
 * A small seeded PRNG (mulberry32) and the helpers the data generator and the fault injector
 * draw from. Seeded, so the same seed always yields the same dataset and the same fault sequence.
 */
import { AsciiWriter } from './ascii';

/** Draws from one seeded sequence. */
export interface Random {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A random (version 4 format) UUID, lower case and hyphenated. */
  uuid(): string;
}

/** A PRNG seeded with `seed` (any 32-bit integer). */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const nextUint32 = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
  const next = (): number => nextUint32() / 4294967296;
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    uuid: () => uuidFromWords(nextUint32(), nextUint32(), nextUint32(), nextUint32()),
  };
}

const writer = new AsciiWriter();

function uuidFromWords(a: number, b: number, c: number, d: number): string {
  const versioned = (b & 0xffff0fff) | 0x4000; // version 4
  const variant = ((c & 0x3fffffff) | 0x80000000) >>> 0; // RFC 4122 variant
  return writer
    .reset()
    .hex(a)
    .text('-')
    .hex(versioned >>> 16, 4)
    .text('-')
    .hex(versioned, 4)
    .text('-')
    .hex(variant >>> 16, 4)
    .text('-')
    .hex(variant, 4)
    .hex(d)
    .toString();
}
