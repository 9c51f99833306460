/**
 * Off a terminal there is no progress line, but a long retry wait (a `Retry-After` of up to a
 * minute) must still not look like a hang: each one gets a line on stderr, such as
 * `rate limited (429): waiting 60 s (Retry-After)`. Requests that wait together (a rate limit
 * hits them all at once) get one line between them, not one each.
 */
import { type ClientStats, describeWait, type LongWait } from '../../lib/api';

/** A wait announced with less than this left is as good as over. */
const NOT_WORTH_A_LINE_MS = 1_000;

export function startWaitNotes(
  stats: ClientStats,
  stream: NodeJS.WritableStream,
  pollMs = 200,
): { stop(): void } {
  let told: LongWait | undefined;
  const check = () => {
    const wait = stats.longWait;
    const now = Date.now();
    if (!wait || wait === told || wait.endsAt - now < NOT_WORTH_A_LINE_MS) return;
    // A wait that began while an announced one was still running is part of the same pause.
    if (told && now < told.endsAt) return;
    told = wait;
    stream.write(`${describeWait(wait, now)}\n`);
  };
  const timer = setInterval(check, pollMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
