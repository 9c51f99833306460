/**
 * Text held for a session whose turn to be written has not come yet. Rows must reach the CSVs
 * in session order while sessions are fetched concurrently, and memory must not grow with the
 * number of files, so past a threshold the text moves to a temporary file.
 */
import { createReadStream } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const DEFAULT_SPILL_BYTES = 1 << 20;
let sequence = 0;

export class SpillBuffer {
  private chunks: string[] = [];
  private bytes = 0;
  private spillPath: string | undefined;

  constructor(
    private readonly tmpDir: string,
    private readonly spillBytes = DEFAULT_SPILL_BYTES,
  ) {}

  async append(text: string): Promise<void> {
    if (text === '') return;
    this.chunks.push(text);
    this.bytes += text.length;
    if (this.bytes >= this.spillBytes) await this.spill();
  }

  /** Forgets everything appended so far. */
  async reset(): Promise<void> {
    this.chunks = [];
    this.bytes = 0;
    await this.dispose();
  }

  /** Everything appended, in order: the spilled part first, then what is still in memory. */
  async *read(): AsyncGenerator<string> {
    if (this.spillPath) {
      for await (const chunk of createReadStream(this.spillPath, {
        encoding: 'utf8',
        highWaterMark: 256 << 10,
      })) {
        yield chunk as string;
      }
    }
    if (this.chunks.length > 0) yield this.chunks.join('');
  }

  async dispose(): Promise<void> {
    const path = this.spillPath;
    this.spillPath = undefined;
    if (path) await rm(path, { force: true });
  }

  private async spill(): Promise<void> {
    this.spillPath ??= join(this.tmpDir, `spill-${process.pid}-${++sequence}.csv`);
    const text = this.chunks.join('');
    this.chunks = [];
    this.bytes = 0;
    await appendFile(this.spillPath, text, 'utf8');
  }
}
