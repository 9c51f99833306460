/**
 * Text held for a session whose turn to be written has not come yet. Rows must reach the CSVs
 * in session order while sessions are fetched concurrently, and memory must not grow with the
 * number of files, so past a threshold the text moves to a temporary file.
 *
 * Held as UTF-8 bytes, not strings: the CSV text of a page is a rope of thousands of small
 * strings (papaparse builds it by concatenation). Kept as is until the session's turn, those
 * ropes outlive several garbage collections and fill the old generation; encoded at once, the
 * rope dies young and the bytes (which the store needs anyway) live outside the JS heap.
 */
import { createReadStream } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const DEFAULT_SPILL_BYTES = 1 << 20;
let sequence = 0;

export class SpillBuffer {
  private chunks: Buffer[] = [];
  private bytes = 0;
  private spillPath: string | undefined;

  constructor(
    private readonly tmpDir: string,
    private readonly spillBytes = DEFAULT_SPILL_BYTES,
  ) {}

  async append(text: string): Promise<void> {
    if (text === '') return;
    const chunk = Buffer.from(text, 'utf8');
    this.chunks.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes >= this.spillBytes) await this.spill();
  }

  /** Forgets everything appended so far. */
  async reset(): Promise<void> {
    this.chunks = [];
    this.bytes = 0;
    await this.dispose();
  }

  /** Everything appended, in order, as UTF-8 bytes: the spilled part first, then what is still in memory. */
  async *read(): AsyncGenerator<Uint8Array> {
    if (this.spillPath) {
      for await (const chunk of createReadStream(this.spillPath, { highWaterMark: 256 << 10 })) {
        yield chunk as Buffer;
      }
    }
    if (this.chunks.length > 0) yield Buffer.concat(this.chunks, this.bytes);
  }

  async dispose(): Promise<void> {
    const path = this.spillPath;
    this.spillPath = undefined;
    if (path) await rm(path, { force: true });
  }

  private async spill(): Promise<void> {
    this.spillPath ??= join(this.tmpDir, `spill-${process.pid}-${++sequence}.csv`);
    const bytes = Buffer.concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    await appendFile(this.spillPath, bytes);
  }
}
