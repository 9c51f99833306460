/**
 * changes.csv written as a run goes: each session's current rows, read back from the spill
 * buffer they were just copied from (so both runs' cells compare exactly as their CSVs carry
 * them), merged with the baseline's rows of that session, and the change rows streamed out.
 *
 * The comparison never fails the run: a baseline found damaged half way (rows out of its
 * sessions.csv order, a read error) drops changes.csv and summary.json says why. A failure to
 * write changes.csv is the store failing, and fails the run like any other report file.
 */
import { CSV_CONTENT_TYPE } from '../store/content';
import type { ReportStore } from '../store/store';
import {
  type Baseline,
  type BaselineResult,
  CHANGE_COLUMNS,
  type ChangeRow,
  ChangesMerge,
  changeCells,
  SessionFiles,
  sessionRows,
} from './changes';
import { csvHeader, csvRows } from './csv';
import type { SessionOutcome } from './session-outcome';
import { StreamedFile } from './streamed-file';
import type { ReportSummary } from './summary';

type ChangesField = NonNullable<ReportSummary['changes']>;

export class RunChanges {
  private readonly baseline: Baseline | undefined;
  private merge: ChangesMerge | undefined;
  private file: StreamedFile | undefined;
  private unavailable: string | undefined;

  /** Starts changes.csv at `key` when there is a baseline; otherwise remembers why not. */
  constructor(store: ReportStore, key: string, result: BaselineResult) {
    if ('unavailable' in result) {
      this.unavailable = result.unavailable;
      return;
    }
    this.baseline = result.baseline;
    this.merge = new ChangesMerge(result.baseline);
    this.file = new StreamedFile(store, key, CSV_CONTENT_TYPE);
  }

  /** Writes the header; call once, before the first session. */
  async start(): Promise<void> {
    await this.file?.write(csvHeader(CHANGE_COLUMNS));
  }

  /** Compares the session the run just wrote, while its rows are still in their spill buffers. */
  async session(outcome: SessionOutcome): Promise<void> {
    const { merge, baseline } = this;
    if (!merge || !baseline) return;
    const { session, rows, error } = outcome;
    const source = baseline.scope === 'all' ? rows.files : rows.failed;
    const ref = { session_id: session.session_id, created_at: session.created_at, error: error ?? null };
    const current = () =>
      source
        ? sessionRows(source.read(), `session ${session.session_id}`)
        : Promise.resolve(new SessionFiles());
    await this.compared(() => merge.session(ref, current));
  }

  /** Ends changes.csv; returns summary.json `changes` (the counts, or why there are none). */
  async finish(): Promise<ChangesField> {
    const merge = this.merge;
    if (merge) await this.compared(() => merge.finish());
    if (!this.merge || !this.file) return { unavailable: this.unavailable ?? 'no previous run' };
    await this.file.finish();
    return this.merge.summary();
  }

  /** The run failed: nothing of changes.csv is kept, and the baseline is let go. */
  async abort(reason: Error): Promise<void> {
    this.baseline?.close?.();
    await this.file?.abort(reason);
  }

  /** Runs a step of the merge and writes its rows; a baseline that fails ends the comparison. */
  private async compared(step: () => Promise<ChangeRow[]>): Promise<void> {
    let rows: ChangeRow[];
    try {
      rows = await step();
    } catch (error) {
      await this.giveUp(this.baseline!, error);
      return;
    }
    if (rows.length > 0) await this.file!.write(csvRows(rows.map(changeCells)));
  }

  private async giveUp(baseline: Baseline, error: unknown): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    this.unavailable = `previous run ${baseline.runId} could not be compared: ${reason}`;
    const file = this.file;
    this.merge = undefined;
    this.file = undefined;
    baseline.close?.();
    await file?.abort(new Error(this.unavailable));
  }
}
