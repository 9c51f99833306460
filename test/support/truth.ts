/**
 * What a report over an emulator dataset must contain, computed straight from the dataset,
 * independently of the report engine: the expected rows (as the cells papaparse reads back)
 * and the expected counts.
 */
import type { EmulatorFile, EmulatorSession } from '../../emulator/dataset';

const FORMULA = /^[=+\-@\t\r\0]/;
/** A text cell as the CSV must carry it: formula-like text gets a leading apostrophe. */
export const cell = (value: string | null) =>
  value === null ? '' : FORMULA.test(value) ? `'${value}` : value;

const byInstantThenId =
  <T>(time: (x: T) => string, id: (x: T) => string) =>
  (a: T, b: T) => {
    const ta = time(a).replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(9, '0')}Z`);
    const tb = time(b).replace(/\.(\d+)Z$/, (_, f: string) => `.${f.padEnd(9, '0')}Z`);
    const na = ta.includes('.') ? ta : ta.replace('Z', '.000000000Z');
    const nb = tb.includes('.') ? tb : tb.replace('Z', '.000000000Z');
    return na < nb ? -1 : na > nb ? 1 : id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
  };

export const sortedSessions = (sessions: EmulatorSession[]) =>
  [...sessions].sort(
    byInstantThenId(
      (s) => s.created_at,
      (s) => s.session_id,
    ),
  );

export const sortedFiles = (files: EmulatorFile[]) =>
  [...files].sort(
    byInstantThenId(
      (f) => f.created_at,
      (f) => f.file_ingestion_id,
    ),
  );

export interface Truth {
  sessionRows: string[][];
  fileRows: string[][];
  failedRows: string[][];
  filesTotal: number;
  byStatus: Record<string, number>;
  failedByReason: Record<string, number>;
  sessionsByStatus: Record<string, number>;
}

const count = (map: Record<string, number>, key: string) => {
  map[key] = (map[key] ?? 0) + 1;
};

const HOUR_MS = 3_600_000;

/**
 * The run the rows are expected of: when it started (a session with pending files created more
 * than `afterHours` before then is stuck) and the threshold (default 24).
 */
export interface TruthRun {
  startedAt: number;
  afterHours?: number;
}

export function truthOf(
  sessions: EmulatorSession[],
  vanished: Set<string> = new Set(),
  run: TruthRun = { startedAt: Date.now() },
): Truth {
  const stuck = (s: EmulatorSession, pending: number) =>
    pending > 0 && run.startedAt - Date.parse(s.created_at) > (run.afterHours ?? 24) * HOUR_MS;
  const truth: Truth = {
    sessionRows: [],
    fileRows: [],
    failedRows: [],
    filesTotal: 0,
    byStatus: {},
    failedByReason: {},
    sessionsByStatus: {},
  };
  for (const s of sortedSessions(sessions)) {
    count(truth.sessionsByStatus, s.status);
    const person = [s.session_id, s.status, s.write_mode, s.created_at, s.expires_at ?? ''];
    const who = [`${s.created_by.given_name} ${s.created_by.family_name}`.trim(), s.created_by.user_id];
    if (vanished.has(s.session_id)) {
      truth.sessionRows.push([
        ...person.map(cell),
        ...who.map(cell),
        '',
        '',
        '',
        '',
        'SESSION_NOT_FOUND',
        '',
        'false',
      ]);
      continue;
    }
    const files = sortedFiles(s.files);
    const n = (status: string) => files.filter((f) => f.ingestion_status === status).length;
    const named = ['PENDING', 'FAILED', 'FINISHED'];
    truth.sessionRows.push([
      ...person.map(cell),
      ...who.map(cell),
      String(files.length),
      ...named.map((status) => String(n(status))),
      '',
      // Every status without a column of its own: the ones the vendor added later.
      String(files.filter((f) => !named.includes(f.ingestion_status)).length),
      String(stuck(s, n('PENDING'))),
    ]);
    for (const f of files) {
      const row = [
        s.session_id,
        f.file_ingestion_id,
        f.name,
        f.ingestion_status,
        f.ingestion_status_reason,
      ].map(cell);
      truth.fileRows.push(row);
      truth.filesTotal++;
      count(truth.byStatus, f.ingestion_status);
      if (f.ingestion_status === 'FAILED') {
        truth.failedRows.push(row);
        count(truth.failedByReason, f.ingestion_status_reason ?? 'UNSPECIFIED');
      }
    }
  }
  return truth;
}

/** When a run started, from its summary: generated_at is its end, duration_ms its length. */
export const runStartOf = (summary: { generated_at: string; duration_ms: number }) =>
  Date.parse(summary.generated_at) - summary.duration_ms;

/**
 * The stuck sessions of `sessions` for a run started at `startedAt` (pending files, created
 * more than `afterHours` before), and summary.json `stuck`. Throws when a session's age is
 * within a second of the threshold: the run's start is known to the millisecond only.
 */
export function expectedStuck(sessions: EmulatorSession[], startedAt: number, afterHours: number) {
  const pendingOf = (s: EmulatorSession) => s.files.filter((f) => f.ingestion_status === 'PENDING').length;
  const stuck = sessions.filter((s) => {
    const age = startedAt - Date.parse(s.created_at);
    if (pendingOf(s) > 0 && Math.abs(age - afterHours * HOUR_MS) < 1000) {
      throw new Error(`session ${s.session_id} is too close to the stuck threshold to tell`);
    }
    return pendingOf(s) > 0 && age > afterHours * HOUR_MS;
  });
  return {
    ids: new Set(stuck.map((s) => s.session_id)),
    summary: {
      after_hours: afterHours,
      sessions: stuck.length,
      pending_files: stuck.reduce((sum, s) => sum + pendingOf(s), 0),
    },
  };
}
