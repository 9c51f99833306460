/**
 * The alert message of one run: what subscribers read (a one-line subject, a JSON body) and
 * what their filter policies match (the `workspace` and `rule` attributes). Pure, so the exact
 * text is tested without SNS. SNS refuses a subject of 100 characters or more, or one with a
 * newline or a non-ASCII character, so the subject is made to fit here rather than fail there.
 */
import type { ReportSummary } from '../report/summary';
import { alertValues, type Breach } from './rules';

/** SNS accepts subjects shorter than 100 characters. */
export const MAX_SUBJECT_LENGTH = 99;

/** Where a reader goes next; null where the app's public address is unknown or the run has no such file. */
export interface AlertLinks {
  dashboard: string | null;
  changes: string | null;
}

export interface AlertBody {
  workspace: string;
  run_id: string;
  rules: Breach[];
  counts: {
    files: number;
    failed: number;
    failure_rate_pct: number;
    new_failed: number | null;
    stuck_sessions: number | null;
    stuck_files: number | null;
  };
  links: AlertLinks;
}

export interface AlertMessage {
  subject: string;
  body: AlertBody;
  /** The names of the broken rules, for the `rule` attribute (String.Array). */
  rules: string[];
}

/** The message for a run that broke `breaches` (at least one). */
export function alertMessage(summary: ReportSummary, breaches: Breach[], links: AlertLinks): AlertMessage {
  const values = alertValues(summary);
  return {
    subject: alertSubject(summary.workspace, breaches),
    body: {
      workspace: summary.workspace,
      run_id: summary.run_id,
      rules: breaches,
      counts: {
        files: summary.files.total,
        failed: summary.files.by_ingestion_status.FAILED ?? 0,
        failure_rate_pct: values.failure_rate_pct ?? 0,
        new_failed: values.new_failed,
        stuck_sessions: summary.stuck?.sessions ?? null,
        stuck_files: values.stuck_files,
      },
      links,
    },
    rules: breaches.map((breach) => breach.rule),
  };
}

/** One line naming the workspace and each broken rule, e.g. `Ingestion alert acme: new_failed 12 > 0`. */
export function alertSubject(workspace: string, breaches: Breach[]): string {
  const rules = breaches.map((b) => `${b.rule} ${b.value} > ${b.threshold}`).join(', ');
  return fitSubject(`Ingestion alert ${workspace}: ${rules}`);
}

/** Printable ASCII only (anything else becomes '?'), cut to fit with '...' at the end. */
export function fitSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, '?');
  if (ascii.length <= MAX_SUBJECT_LENGTH) return ascii;
  return `${ascii.slice(0, MAX_SUBJECT_LENGTH - 3)}...`;
}

/** The line the CLI and the logs show for a broken rule. */
export function breachLine(workspace: string, breach: Breach): string {
  return `alert: ${workspace}: ${breach.rule} ${breach.value} > ${breach.threshold}`;
}
