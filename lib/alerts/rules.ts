/**
 * The alert rules: three numbers read from a complete run's summary, each compared with a
 * threshold the operator set. A rule with no threshold is off; a rule whose number the run does
 * not have (no baseline to compare with, a run from before stuck sessions were counted) cannot
 * break and says nothing. Pure, so every entry point decides the same way on the same summary.
 */
import type { ReportSummary } from '../report/summary';

/** The rule names, as they appear in messages, message attributes and the CLI's lines. */
export const ALERT_RULES = ['failure_rate_pct', 'new_failed', 'stuck_files'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

/** The thresholds set; a rule whose threshold is absent is off. */
export type AlertThresholds = Partial<Record<AlertRule, number>>;

/** A run's value for each rule; null when the run has no such number. */
export type AlertValues = Record<AlertRule, number | null>;

/** A rule the run broke: its value was strictly greater than its threshold. */
export interface Breach {
  rule: AlertRule;
  threshold: number;
  value: number;
}

/**
 * The run's numbers: FAILED files per 100 files (0 when there are no files, rounded to two
 * decimals for display only), the newly failed files summed over reasons, the stuck pending files.
 */
export function alertValues(summary: ReportSummary): AlertValues {
  return {
    failure_rate_pct: failureRatePct(summary),
    new_failed: newlyFailed(summary),
    stuck_files: summary.stuck?.pending_files ?? null,
  };
}

/** The rules `summary` broke, in ALERT_RULES order; none for an incomplete run. */
export function breachedRules(summary: ReportSummary, thresholds: AlertThresholds): Breach[] {
  if (!summary.complete) return [];
  const exact: AlertValues = { ...alertValues(summary), failure_rate_pct: exactFailureRate(summary) };
  const shown = alertValues(summary);
  const breaches: Breach[] = [];
  for (const rule of ALERT_RULES) {
    const threshold = thresholds[rule];
    const value = exact[rule];
    if (threshold === undefined || value === null || !(value > threshold)) continue;
    breaches.push({ rule, threshold, value: shown[rule]! });
  }
  return breaches;
}

function exactFailureRate(summary: ReportSummary): number {
  const { total, by_ingestion_status } = summary.files;
  return total === 0 ? 0 : ((by_ingestion_status.FAILED ?? 0) / total) * 100;
}

function failureRatePct(summary: ReportSummary): number {
  return Math.round(exactFailureRate(summary) * 100) / 100;
}

/** Null without a comparison: the first run, `--previous none`, or a run from before changes. */
function newlyFailed(summary: ReportSummary): number | null {
  const changes = summary.changes;
  if (!changes || !('newly_failed_by_reason' in changes)) return null;
  return Object.values(changes.newly_failed_by_reason).reduce((sum, n) => sum + n, 0);
}
