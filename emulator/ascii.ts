/**
 * Builds short ASCII strings in a reused buffer. Template literals make V8 "cons" strings
 * (a tree of parts); a dataset keeps a million of each (IDs, timestamps, names), and that
 * doubled generation time in garbage collection. One flat string per value avoids it.
 */
const HEX_DIGITS = '0123456789abcdef';

/** A reusable writer: `reset()`, append, then `toString()` yields one flat string. */
export class AsciiWriter {
  private readonly buffer = Buffer.alloc(256);
  private length = 0;

  /** Starts a new string. */
  reset(): this {
    this.length = 0;
    return this;
  }

  /** Appends ASCII text. */
  text(value: string): this {
    this.length += this.buffer.write(value, this.length, 'latin1');
    return this;
  }

  /** Appends a non-negative integer, zero-padded to `width` digits. */
  digits(value: number, width: number): this {
    for (let index = width - 1; index >= 0; index--) {
      this.buffer[this.length + index] = 48 + (value % 10);
      value = Math.floor(value / 10);
    }
    this.length += width;
    return this;
  }

  /** Appends the `count` low nibbles of a 32-bit word as lower-case hex, most significant first. */
  hex(word: number, count = 8): this {
    for (let index = count - 1; index >= 0; index--) {
      this.buffer[this.length + index] = HEX_DIGITS.charCodeAt(word & 15);
      word >>>= 4;
    }
    this.length += count;
    return this;
  }

  /** The string written since the last `reset()`. */
  toString(): string {
    return this.buffer.toString('latin1', 0, this.length);
  }
}
