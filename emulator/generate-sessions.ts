/**
 * Generates upload sessions: sizes that hit the paging boundaries, creation and expiry times
 * consistent with `now`, creators, statuses and write modes, and the files of each.
 */
import { WRITE_MODES } from '../lib/api/enums';
import { type FileContext, generateFiles } from './generate-files';
import type { Random } from './random';
import type { EmulatorSession } from './records';
import { formatTimestamp, MICROS_PER_DAY } from './timestamps';

/** Undocumented values (with `unknownEnums`). */
export const UNKNOWN_SESSION_STATUS = 'ARCHIVED';
export const UNKNOWN_WRITE_MODE = 'APPEND';

const PEOPLE: readonly [string, string][] = [
  ['Ada', 'Lovelace'],
  ['Grace', 'Hopper'],
  ['Zoë', 'Müller'],
  ['Seán', "O'Connor"],
  ['美咲', '佐藤'],
  ['Jean-Luc', 'Dubois'],
];

/**
 * Files per session: the special sizes first (maxFiles, 0, 101, 100, 1 and two small ones, so
 * the page boundaries at 100 are covered), the rest uniform in 1..maxFiles (about maxFiles/2 on
 * average: 400 sessions of up to 5000 files make about a million), in a seeded shuffled order.
 */
export function planSessionSizes(random: Random, sessions: number, maxFiles: number): number[] {
  const specials = [maxFiles, 0, 101, 100, 1, random.int(2, 99), random.int(2, 99)];
  const sizes = Array.from({ length: sessions }, (_, index) =>
    Math.min(maxFiles, specials[index] ?? random.int(1, Math.max(1, maxFiles))),
  );
  for (let index = sizes.length - 1; index > 0; index--) {
    const other = random.int(0, index);
    [sizes[index], sizes[other]] = [sizes[other]!, sizes[index]!];
  }
  return sizes;
}

/** State carried from one session to the next. */
export interface SessionContext extends FileContext {
  users: { given_name: string; family_name: string; user_id: string }[];
  previousCreatedMicros?: number;
  unknownSessionValuesUsed: { status: boolean; writeMode: boolean };
}

/** The creators of a workspace's sessions. */
export function generateUsers(random: Random): SessionContext['users'] {
  return PEOPLE.map(([given, family]) => ({
    given_name: given,
    family_name: family,
    user_id: random.uuid(),
  }));
}

/** One session with `fileCount` files; `index` spreads the four write modes over the first four. */
export function generateSession(context: SessionContext, index: number, fileCount: number): EmulatorSession {
  const { random, nowMicros } = context;
  // Some sessions start in the same instant as the one before: exercises the ID tie-break.
  const createdMicros =
    context.previousCreatedMicros !== undefined && random.chance(0.15)
      ? context.previousCreatedMicros
      : nowMicros - random.int(60, 90 * 86_400) * 1_000_000 + wholeOrFraction(random);
  context.previousCreatedMicros = createdMicros;
  const expiresMicros = pickExpiry(random, createdMicros, nowMicros);
  const status = pickStatus(context, expiresMicros);
  return {
    session_id: random.uuid(),
    created_at: formatTimestamp(createdMicros),
    expires_at: expiresMicros === null ? null : formatTimestamp(expiresMicros),
    created_by: { ...random.pick(context.users) },
    status,
    write_mode: pickWriteMode(context, index),
    files: generateFiles(context, fileCount, createdMicros, status),
  };
}

function wholeOrFraction(random: Random): number {
  return random.chance(0.4) ? 0 : random.int(1, 999_999);
}

/**
 * Null (never expires), past (EXPIRED), or at least a day ahead, so a session the dataset calls
 * OPEN or CLOSED has not expired by the wall clock either on the day the data was generated for.
 */
function pickExpiry(random: Random, createdMicros: number, nowMicros: number): number | null {
  const draw = random.next();
  if (draw < 0.08) return null;
  if (draw < 0.48)
    return createdMicros + Math.floor((0.05 + random.next() * 0.9) * (nowMicros - createdMicros));
  return nowMicros + MICROS_PER_DAY + random.int(0, 29 * 86_400) * 1_000_000 + wholeOrFraction(random);
}

function pickStatus(context: SessionContext, expiresMicros: number | null): string {
  if (expiresMicros !== null && expiresMicros < context.nowMicros) return 'EXPIRED';
  const used = context.unknownSessionValuesUsed;
  if (context.unknownEnums && (!used.status || context.random.chance(0.05))) {
    used.status = true;
    return UNKNOWN_SESSION_STATUS;
  }
  return context.random.chance(0.35) ? 'OPEN' : 'CLOSED';
}

function pickWriteMode(context: SessionContext, index: number): string {
  if (index < WRITE_MODES.length) return WRITE_MODES[index]!;
  const used = context.unknownSessionValuesUsed;
  if (context.unknownEnums && (!used.writeMode || context.random.chance(0.05))) {
    used.writeMode = true;
    return UNKNOWN_WRITE_MODE;
  }
  return context.random.pick(['KEEP', 'KEEP', 'KEEP', 'OVERWRITE', 'OVERWRITE', 'FAIL', 'TEMPORARY']);
}
