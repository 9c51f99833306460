/**
 * Moves a workspace's data one night forward, as the platform would between two nightly
 * reports: pending files finish or fail, open sessions get new files, a few files disappear,
 * the oldest expired session is deleted and a new session arrives. Tests and the emulator CLI
 * use it to produce a "yesterday" and a "today" whose differences are known exactly.
 *
 * Deterministic: the same dataset and seed give the same night. The draws also depend on the
 * dataset's version, so a second night from the same seed differs from the first.
 */
import { FAILURE_REASONS } from '../lib/api/enums';
import { type Dataset, type EmulatorFile, type EmulatorSession, touch } from './dataset';
import { ordinaryFileName } from './names';
import { createRandom, type Random } from './random';
import { formatTimestamp, MICROS_PER_DAY, timestampMicros } from './timestamps';

export interface NightOptions {
  /** PRNG seed of the night's changes. */
  seed: number;
  /** Workspace to change; default 'demo'. */
  workspace?: string;
}

/** What one night changed, counted as it was done. */
export interface NightChanges {
  /** The night's end: every new file and session is created before it. */
  until: string;
  /** Pending files that became FINISHED / FAILED. */
  finished: number;
  failed: number;
  /** Files added to sessions that existed before the night (new session excluded). */
  added: number;
  /** Files removed from sessions that still exist. */
  removed: number;
  /** The new session and its file count. */
  newSession: { session_id: string; files: number };
  /** The session deleted whole (the oldest EXPIRED one), with its file count; none when no session had expired. */
  removedSession?: { session_id: string; files: number };
}

const FINISH_RATE = 0.6;
const FAIL_RATE = 0.15;
const REMOVE_RATE = 0.004;
const GROW_RATE = 0.3;
/** The creator of a new session in a workspace that has no other session to borrow one from. */
const NIGHT_SHIFT = {
  given_name: 'Night',
  family_name: 'Shift',
  user_id: '00000000-0000-4000-8000-000000000001',
};

/** Applies one night to `dataset` (in place, then `touch`) and says what changed. */
export function advanceNight(dataset: Dataset, options: NightOptions): NightChanges {
  const workspace = options.workspace ?? 'demo';
  const sessions = dataset.workspaces.get(workspace);
  if (!sessions) throw new Error(`advanceNight: no workspace ${workspace}`);
  const random = createRandom((options.seed + Math.imul(dataset.version, 0x9e3779b1)) >>> 0);
  const untilMicros = nightEnd(sessions);
  const changes: NightChanges = {
    until: formatTimestamp(untilMicros),
    finished: 0,
    failed: 0,
    added: 0,
    removed: 0,
    newSession: { session_id: '', files: 0 },
  };
  // Deletions first, so a file that is gone by morning is counted as removed, not also as settled.
  changes.removedSession = removeOldestExpired(sessions);
  for (const session of sessions) {
    removeSome(random, session, changes);
    settlePending(random, session.files, changes);
    if (session.status === 'OPEN' && random.chance(GROW_RATE)) {
      const after = Math.max(untilMicros - MICROS_PER_DAY, newestFile(session.files));
      changes.added += addFiles(random, session, random.int(1, 20), after, untilMicros);
    }
  }
  const created = newSession(random, sessions, untilMicros);
  sessions.push(created);
  changes.newSession = { session_id: created.session_id, files: created.files.length };
  touch(dataset);
  return changes;
}

/** Midnight after the day that follows the newest timestamp: one night after the data's "now". */
function nightEnd(sessions: readonly EmulatorSession[]): number {
  let newest = 0;
  for (const session of sessions) {
    newest = Math.max(newest, timestampMicros(session.created_at) ?? 0, newestFile(session.files));
  }
  return (Math.floor(newest / MICROS_PER_DAY) + 2) * MICROS_PER_DAY;
}

function settlePending(random: Random, files: EmulatorFile[], changes: NightChanges): void {
  for (const file of files) {
    if (file.ingestion_status !== 'PENDING') continue;
    const draw = random.next();
    if (draw < FINISH_RATE) {
      file.ingestion_status = 'FINISHED';
      changes.finished++;
    } else if (draw < FINISH_RATE + FAIL_RATE) {
      file.ingestion_status = 'FAILED';
      file.ingestion_status_reason = random.pick(FAILURE_REASONS);
      changes.failed++;
    }
  }
}

function removeSome(random: Random, session: EmulatorSession, changes: NightChanges): void {
  const before = session.files.length;
  session.files = session.files.filter(() => !random.chance(REMOVE_RATE));
  changes.removed += before - session.files.length;
}

function newestFile(files: readonly EmulatorFile[]): number {
  let newest = 0;
  for (const file of files) newest = Math.max(newest, timestampMicros(file.created_at) ?? 0);
  return newest;
}

/** Appends `count` files created in order between `afterMicros` and `untilMicros`. */
function addFiles(
  random: Random,
  session: EmulatorSession,
  count: number,
  afterMicros: number,
  untilMicros: number,
): number {
  let micros = afterMicros;
  const step = Math.max(1, Math.floor((untilMicros - 1 - micros) / (count + 1)));
  for (let index = 0; index < count; index++) {
    micros = Math.min(untilMicros - 1, micros + random.int(1, step));
    session.files.push(newFile(random, micros));
  }
  return count;
}

function newFile(random: Random, micros: number): EmulatorFile {
  const draw = random.next();
  const status = draw < 0.5 ? 'PENDING' : draw < 0.6 ? 'FAILED' : 'FINISHED';
  return {
    file_ingestion_id: random.uuid(),
    name: ordinaryFileName(random),
    ingestion_status: status,
    ingestion_status_reason: status === 'FAILED' ? random.pick(FAILURE_REASONS) : null,
    created_at: formatTimestamp(micros),
  };
}

function removeOldestExpired(sessions: EmulatorSession[]): NightChanges['removedSession'] {
  let oldest: number | undefined;
  sessions.forEach((session, index) => {
    if (session.status !== 'EXPIRED') return;
    const micros = timestampMicros(session.created_at) ?? 0;
    if (oldest === undefined || micros < (timestampMicros(sessions[oldest]!.created_at) ?? 0)) oldest = index;
  });
  if (oldest === undefined) return undefined;
  const [removed] = sessions.splice(oldest, 1);
  return { session_id: removed!.session_id, files: removed!.files.length };
}

/** An OPEN session started during the night, with up to 150 files (so some span two pages). */
function newSession(random: Random, sessions: EmulatorSession[], untilMicros: number): EmulatorSession {
  const createdMicros = untilMicros - random.int(3600, 20 * 3600) * 1_000_000;
  const session: EmulatorSession = {
    session_id: random.uuid(),
    created_at: formatTimestamp(createdMicros),
    expires_at: formatTimestamp(untilMicros + 7 * MICROS_PER_DAY),
    created_by: { ...(sessions.length > 0 ? random.pick(sessions).created_by : NIGHT_SHIFT) },
    status: 'OPEN',
    write_mode: 'KEEP',
    files: [],
  };
  addFiles(random, session, random.int(1, 150), createdMicros, untilMicros);
  return session;
}
