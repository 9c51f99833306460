/**
 * Small builders for the fault matrix's rows: scripted emulator faults, the same fault on both
 * endpoints, and what a run waited after 429s. Kept apart so the matrix itself reads as a table.
 */
import type { Fault } from '../../emulator/faults';
import type { RunningEmulator } from '../../emulator/server';
import type { RunOutcome } from './report-fixture';

/** Arms the emulator to serve `faults`, in order, one per request they match. */
export const script =
  (...faults: Fault[]) =>
  (emu: RunningEmulator) => {
    emu.faults.script.push(...faults);
  };

/** The fault once on the sessions endpoint and once on the files endpoint. */
export const onBoth = (fault: Fault): Fault[] => [
  { ...fault, endpoint: 'sessions' },
  { ...fault, endpoint: 'files' },
];

/** The delays the client chose after each 429. */
export const rateLimitedDelays = (run: RunOutcome) =>
  run.retries.filter((r) => r.error.reason === 'rate-limited').map((r) => r.delayMs);

/** An HTTP date (whole seconds) about `ms` from now. */
export function httpDateIn(ms: number): string {
  return new Date(Date.now() + ms).toUTCString();
}
