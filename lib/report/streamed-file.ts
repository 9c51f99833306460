/**
 * One report file written to the store while the run goes on, with backpressure: a slow store
 * slows the walk instead of letting rows pile up in memory.
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { ReportStore } from '../store/store';

export class StreamedFile {
  private readonly stream = new PassThrough({ highWaterMark: 1 << 20 });
  private readonly done: Promise<void>;

  constructor(store: ReportStore, key: string, contentType: string) {
    // A stream destroyed with an error emits 'error'; the store sees it through iteration.
    this.stream.on('error', () => {});
    this.done = store.write(key, this.stream, { contentType });
    // Observed through finish()/write(); this keeps an early failure from being "unhandled".
    this.done.catch(() => {});
  }

  /** Text, or UTF-8 bytes. */
  async write(text: string | Uint8Array): Promise<void> {
    if (text.length === 0 || this.stream.write(text)) return;
    const storeEnded = this.done.then(() => {
      throw new Error('the store stopped reading before the file was complete');
    });
    await Promise.race([once(this.stream, 'drain'), storeEnded]);
  }

  /** Ends the file and waits until the store has it whole. */
  async finish(): Promise<void> {
    this.stream.end();
    await this.done;
  }

  /** Fails the write, so the store keeps nothing of it (an S3 multipart upload is aborted). */
  async abort(reason: Error): Promise<void> {
    this.stream.destroy(reason);
    await this.done.catch(() => {});
  }
}
