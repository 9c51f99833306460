/**
 * The local server's log: one short line per request on stdout (`GET /healthz 200 2 ms`), and
 * errors in full (stack, cause) on stderr, where a developer wants them.
 */
import type { HttpLogger } from '../http/deps';
import { consoleLogger } from '../http/deps';

/** A logger for a terminal; `write` receives the request lines (default stdout). */
export function devLogger(
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): HttpLogger {
  return {
    info(message, fields = {}) {
      if (message === 'request') {
        write(
          `${String(fields.method)} ${String(fields.path)} ${String(fields.status)} ${String(fields.duration_ms)} ms`,
        );
      } else {
        write(`${message} ${JSON.stringify(fields)}`);
      }
    },
    error: consoleLogger.error,
  };
}
