/**
 * A batch's progress object, kept by the batch while it runs: written every few seconds while
 * its counts move, and once at its end, whether it completed or failed. What an earlier attempt
 * of the same batch spent (requests, retries) is carried on, so that the run's requests only
 * grow, and the batch's counts (./worker) carry it too, so the summary agrees.
 */
import { STATUS_INTERVAL_MS } from '../report/status-writer';
import type { ReportStore } from '../store/store';
import { NO_PROGRESS, raiseStepProgress, readStepProgress, type StepProgress } from './step-progress';

/** This attempt's counts as they are now. */
export type AttemptCounts = Omit<StepProgress, 'sessions_total'>;

export class BatchProgressReport {
  #chain: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #lastWritten = '';

  private constructor(
    private readonly store: ReportStore,
    private readonly key: string,
    /** What earlier attempts of the batch spent. */
    readonly earlier: Pick<StepProgress, 'requests' | 'retries'>,
    private readonly counts: () => AttemptCounts,
  ) {}

  /** Reads what earlier attempts left at `key`, then reports `counts` there. */
  static async open(
    store: ReportStore,
    key: string,
    counts: () => AttemptCounts,
  ): Promise<BatchProgressReport> {
    const earlier = (await readStepProgress(store, key).catch(() => undefined)) ?? NO_PROGRESS;
    return new BatchProgressReport(
      store,
      key,
      { requests: earlier.requests, retries: earlier.retries },
      counts,
    );
  }

  /** The batch's progress, earlier attempts' spending included. */
  now(): StepProgress {
    const counts = this.counts();
    return {
      ...counts,
      requests: this.earlier.requests + counts.requests,
      retries: this.earlier.retries + counts.retries,
    };
  }

  /** Writes the progress every `intervalMs` while it moves, until `finish`. */
  watch(intervalMs = STATUS_INTERVAL_MS): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => void this.#write(), intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic writes and writes the progress as it ends. */
  async finish(): Promise<void> {
    clearInterval(this.#timer);
    await this.#write();
  }

  /** One write at a time, and only when something moved. */
  #write(): Promise<unknown> {
    this.#chain = this.#chain.then(async () => {
      const progress = this.now();
      const text = JSON.stringify(progress);
      if (text === this.#lastWritten) return;
      if (await raiseStepProgress(this.store, this.key, progress)) this.#lastWritten = text;
    });
    return this.#chain;
  }
}
