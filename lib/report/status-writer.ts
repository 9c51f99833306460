/**
 * Keeps a run's status.json current: once at the start, then at most every `intervalMs` while
 * the counters move, then once with the outcome. Writes go one after another, so a reader never
 * sees progress go backwards. A status write that fails does not fail the run: the report is
 * what counts, and the next write (or the summary) tells the truth again.
 */
import { writeJson } from '../store/content';
import type { ReportStore } from '../store/store';
import type { Failure } from './failure';
import type { RunProgress } from './progress';
import { type RunProgressCounts, type RunStatus, runStartedAt, STATUS_FILE } from './run-status';
import type { ReportMode, ReportSummary } from './summary';

/** Default: often enough for a progress bar, rarely enough to cost nothing. */
export const STATUS_INTERVAL_MS = 2000;

export interface StatusWriterOptions {
  store: ReportStore;
  prefix: string;
  workspace: string;
  runId: string;
  mode: ReportMode;
  progress: RunProgress;
  /** API requests so far (the client's counter). */
  requests: () => number;
  intervalMs?: number;
}

export class StatusWriter {
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #lastProgress = '';
  #settled: RunProgressCounts | undefined;

  constructor(private readonly options: StatusWriterOptions) {}

  /** Writes "running", with the counters as they are. */
  markRunning(): Promise<void> {
    return this.#write('running');
  }

  /** Writes the counters every `intervalMs` while they move, until the outcome is written. */
  watch(): void {
    this.stop();
    this.#timer = setInterval(() => {
      if (JSON.stringify(this.#counts()) !== this.#lastProgress) void this.#write('running');
    }, this.options.intervalMs ?? STATUS_INTERVAL_MS);
    this.#timer.unref();
  }

  async complete(summary: ReportSummary): Promise<void> {
    this.stop();
    await this.#write('complete', { summary });
  }

  async fail(error: Failure): Promise<void> {
    this.stop();
    await this.#write('failed', { error: { code: error.code, message: error.message } });
  }

  /**
   * The run's final counts, when someone other than the live counters knows them (a fan-out
   * run's steps add up to them): every write from now on shows these.
   */
  settle(counts: RunProgressCounts): void {
    this.#settled = counts;
  }

  /** Ends the periodic writes. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #counts(): RunProgressCounts {
    if (this.#settled) return this.#settled;
    const { progress } = this.options;
    return {
      sessions_done: progress.sessionsDone,
      sessions_total: progress.sessionsTotal ?? null,
      files_seen: progress.filesFetched,
      requests: this.options.requests(),
    };
  }

  #write(status: RunStatus['status'], extra: Partial<RunStatus> = {}): Promise<void> {
    const { store, prefix, workspace, runId, mode } = this.options;
    this.#chain = this.#chain.then(async () => {
      const progress = this.#counts();
      this.#lastProgress = JSON.stringify(progress);
      const body: RunStatus = {
        workspace,
        run_id: runId,
        mode,
        status,
        started_at: runStartedAt(runId),
        updated_at: new Date().toISOString(),
        progress,
        ...extra,
      };
      await writeJson(store, prefix + STATUS_FILE, body).catch(() => {});
    });
    return this.#chain;
  }
}
