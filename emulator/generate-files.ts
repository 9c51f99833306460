/**
 * Generates the files of one session: ingestion statuses, failure reasons, names and the
 * hidden `created_at` the API sorts by. Guarantees that span the whole dataset (every failure
 * reason, every nasty name, one unknown status) are tracked in `FileCounters`.
 */
import { FAILURE_REASONS } from '../lib/api/enums';
import { NASTY_FILE_NAMES, ordinaryFileName } from './names';
import type { Random } from './random';
import type { EmulatorFile } from './records';
import { formatTimestamp } from './timestamps';

/** Dataset-wide progress of the guarantees. */
export interface FileCounters {
  files: number;
  failed: number;
  nastyNamesUsed: number;
  queued: number;
}

/** What the file generator needs besides the session. */
export interface FileContext {
  random: Random;
  unknownEnums: boolean;
  counters: FileCounters;
  nowMicros: number;
}

/** Undocumented values (with `unknownEnums`): the vendor's enums have grown before. */
export const UNKNOWN_FILE_STATUS = 'QUEUED';
export const UNKNOWN_FAILURE_REASON = 'VIRUS_DETECTED';

/** Files spread over at most two days after the session started (never after `now`). */
export function generateFiles(
  context: FileContext,
  count: number,
  startMicros: number,
  sessionStatus: string,
) {
  const { random, nowMicros } = context;
  const span = Math.max(1_000_000, Math.min(nowMicros - startMicros, 2 * 86_400_000_000));
  const meanStep = span / Math.max(1, count);
  const pendingRate = sessionStatus === 'OPEN' ? 0.3 : 0.04;
  const failedRate = 0.03 + random.next() * 0.22;
  const files: EmulatorFile[] = [];
  let micros = startMicros;
  let createdAt = formatTimestamp(micros);
  for (let index = 0; index < count; index++) {
    // A batch upload registers several files in the same instant: exercises the ID tie-break.
    if (index === 0 || !random.chance(0.2)) {
      micros = Math.min(nowMicros - 1, micros + Math.floor(random.next() * 2 * meanStep) + 1);
      createdAt = formatTimestamp(random.chance(0.3) ? micros - (micros % 1_000_000) : micros);
    }
    const status = pickStatus(context, pendingRate, failedRate);
    files.push({
      file_ingestion_id: random.uuid(),
      name: pickName(context),
      ingestion_status: status,
      ingestion_status_reason: status === 'FAILED' ? pickReason(context) : null,
      created_at: createdAt,
    });
    context.counters.files++;
  }
  return files;
}

function pickStatus(context: FileContext, pendingRate: number, failedRate: number): string {
  const { random, counters } = context;
  if (context.unknownEnums && (counters.queued === 0 || random.chance(0.005))) {
    counters.queued++;
    return UNKNOWN_FILE_STATUS;
  }
  const draw = random.next();
  if (draw < pendingRate) return 'PENDING';
  if (draw < pendingRate + failedRate) return 'FAILED';
  return 'FINISHED';
}

/** The first failed files take every reason in turn, so each appears once there are enough failures. */
function pickReason(context: FileContext): string {
  const reasons: readonly string[] = context.unknownEnums
    ? [...FAILURE_REASONS, UNKNOWN_FAILURE_REASON]
    : FAILURE_REASONS;
  const index = context.counters.failed++;
  return index < reasons.length ? reasons[index]! : context.random.pick(reasons);
}

/** Every tenth of the first files gets the next nasty name; after that, one file in a hundred. */
function pickName(context: FileContext): string {
  const { random, counters } = context;
  if (counters.files % 10 === 3 && counters.nastyNamesUsed < NASTY_FILE_NAMES.length) {
    return NASTY_FILE_NAMES[counters.nastyNamesUsed++]!;
  }
  return random.chance(0.01) ? random.pick(NASTY_FILE_NAMES) : ordinaryFileName(random);
}
