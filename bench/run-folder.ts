/**
 * Writes a complete run folder (sessions.csv, files.csv, failed_files.csv, summary.json)
 * straight from an emulator dataset, with the report's own row builders and CSV encoder, in
 * the report's order: for benchmarks that need a million-file run folder without walking the
 * API first. The report engine's own output is checked against such data by the tests.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorSession } from '../emulator/dataset';
import { fileSortKey, sortAscending } from '../emulator/sort';
import type { Session } from '../lib/api/schemas';
import { FILE_COLUMNS, REPORT_FILES, SESSION_COLUMNS } from '../lib/report/columns';
import { csvHeader, csvRows } from '../lib/report/csv';
import { compareSessions } from '../lib/report/list-sessions';
import { fileRow, sessionRow } from '../lib/report/rows';
import { buildSummary, WorkspaceTotals } from '../lib/report/summary';
import { FileCounts } from '../lib/report/tally';

export async function writeRunFolder(
  dir: string,
  sessions: readonly EmulatorSession[],
  runId: string,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const files = createWriteStream(join(dir, REPORT_FILES.files));
  const failed = createWriteStream(join(dir, REPORT_FILES.failedFiles));
  files.write(csvHeader(FILE_COLUMNS));
  failed.write(csvHeader(FILE_COLUMNS));
  const totals = new WorkspaceTotals();
  const sessionRows = [];
  for (const session of [...sessions].sort((a, b) => compareSessions(a as Session, b as Session))) {
    const counts = new FileCounts();
    const ordered = sortAscending(session.files, fileSortKey('created_at'), (file) => file.file_ingestion_id);
    const rows = ordered.map((file) => {
      counts.addFile(file.ingestion_status, file.ingestion_status_reason);
      return fileRow(session.session_id, file);
    });
    await write(files, csvRows(rows));
    await write(failed, csvRows(rows.filter((row) => row[3] === 'FAILED')));
    sessionRows.push(sessionRow(session as Session, counts, undefined, false));
    totals.sessionsByStatus.add(session.status);
    totals.files.addAll(counts);
  }
  await Promise.all([end(files), end(failed)]);
  await writeFile(join(dir, REPORT_FILES.sessions), csvHeader(SESSION_COLUMNS) + csvRows(sessionRows));
  const summary = buildSummary({
    workspace: 'demo',
    runId,
    mode: 'full',
    startedAt: 0,
    finishedAt: 0,
    requests: 0,
    retries: 0,
    totals,
  });
  await writeFile(join(dir, REPORT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
}

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve) => (stream.write(text) ? resolve() : stream.once('drain', resolve)));
}

function end(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.end(resolve));
}
