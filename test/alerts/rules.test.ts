/**
 * The alert rules and the message they make, on hand-built summaries: which rule breaks at
 * which number ("over" is strictly greater), what a run without a baseline or stuck count can
 * and cannot break, and a subject that SNS accepts whatever the workspace and rules.
 */
import { describe, expect, it } from 'vitest';
import { loadAlertConfig } from '../../functions/shared/config';
import { alertMessage, alertSubject, fitSubject, MAX_SUBJECT_LENGTH } from '../../lib/alerts/message';
import { breachedRules } from '../../lib/alerts/rules';
import type { ReportSummary } from '../../lib/report/summary';

/** A complete run of 200 files, 15 FAILED; `extra` adds changes and stuck. */
function summary(extra: Partial<ReportSummary> = {}): ReportSummary {
  return {
    workspace: 'acme',
    run_id: '20261130T030000000Z-abc123',
    generated_at: '2026-11-30T03:00:00.000Z',
    mode: 'full',
    complete: true,
    api_requests: 10,
    api_retries: 0,
    duration_ms: 1000,
    sessions: { total: 4, by_status: {} },
    files: {
      total: 200,
      by_ingestion_status: { FINISHED: 180, FAILED: 15, PENDING: 5 },
      failed_by_reason: {},
    },
    warnings: [],
    ...extra,
  };
}

const changes = (newlyFailed: Record<string, number>) => ({
  previous_run_id: '20261129T030000000Z-def456',
  scope: 'all' as const,
  added: 3,
  removed: 1,
  status_changed: 4,
  transitions: {},
  newly_failed_by_reason: newlyFailed,
});
const stuck = { after_hours: 24, sessions: 2, pending_files: 5 };

describe('breachedRules', () => {
  it('breaks a rule only when the value is strictly over its threshold', () => {
    const run = summary({ changes: changes({ TIMEOUT: 2, OTHER: 1 }), stuck });
    // 15 / 200 = 7.5 %; 3 newly failed; 5 stuck pending files.
    expect(breachedRules(run, { failure_rate_pct: 7.5, new_failed: 3, stuck_files: 5 })).toEqual([]);
    expect(breachedRules(run, { failure_rate_pct: 7.49, new_failed: 2, stuck_files: 4 })).toEqual([
      { rule: 'failure_rate_pct', threshold: 7.49, value: 7.5 },
      { rule: 'new_failed', threshold: 2, value: 3 },
      { rule: 'stuck_files', threshold: 4, value: 5 },
    ]);
  });

  it('leaves a rule without a threshold off', () => {
    const run = summary({ changes: changes({ TIMEOUT: 9 }), stuck });
    expect(breachedRules(run, { stuck_files: 0 })).toEqual([{ rule: 'stuck_files', threshold: 0, value: 5 }]);
    expect(breachedRules(run, {})).toEqual([]);
  });

  it('cannot break the newly-failed rule without a baseline, nor the stuck rule without a count', () => {
    const thresholds = { new_failed: 0, stuck_files: 0 };
    expect(breachedRules(summary(), thresholds)).toEqual([]);
    expect(
      breachedRules(summary({ changes: { unavailable: 'no previous complete run' } }), thresholds),
    ).toEqual([]);
  });

  it('computes the rate with no files as 0 and ignores an incomplete run', () => {
    const empty = summary({ files: { total: 0, by_ingestion_status: {}, failed_by_reason: {} } });
    expect(breachedRules(empty, { failure_rate_pct: 0 })).toEqual([]);
    expect(breachedRules(summary({ complete: false }), { failure_rate_pct: 0 })).toEqual([]);
  });

  it('compares the exact rate, though it shows two decimals', () => {
    // 1 / 3 = 33.333... %: over 33.33, shown as 33.33.
    const third = summary({ files: { total: 3, by_ingestion_status: { FAILED: 1 }, failed_by_reason: {} } });
    expect(breachedRules(third, { failure_rate_pct: 33.33 })).toEqual([
      { rule: 'failure_rate_pct', threshold: 33.33, value: 33.33 },
    ]);
  });
});

describe('the alert message', () => {
  it('carries the rules, the counts and the links', () => {
    const run = summary({ changes: changes({ TIMEOUT: 2 }), stuck });
    const breaches = breachedRules(run, { new_failed: 1 });
    const links = { dashboard: 'https://r.example/workspaces/acme/dashboard', changes: null };
    expect(alertMessage(run, breaches, links)).toEqual({
      subject: 'Ingestion alert acme: new_failed 2 > 1',
      rules: ['new_failed'],
      body: {
        workspace: 'acme',
        run_id: run.run_id,
        rules: [{ rule: 'new_failed', threshold: 1, value: 2 }],
        counts: {
          files: 200,
          failed: 15,
          failure_rate_pct: 7.5,
          new_failed: 2,
          stuck_sessions: 2,
          stuck_files: 5,
        },
        links,
      },
    });
  });

  it('keeps the subject under 100 printable ASCII characters on one line', () => {
    const breaches = breachedRules(summary({ changes: changes({ X: 123456 }), stuck }), {
      failure_rate_pct: 0,
      new_failed: 0,
      stuck_files: 0,
    });
    const subject = alertSubject('a'.repeat(128), breaches);
    expect(subject).toHaveLength(MAX_SUBJECT_LENGTH);
    expect(subject.endsWith('...')).toBe(true);
    expect(fitSubject('naïve\nline\tend')).toBe('na?ve?line?end');
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('loadAlertConfig', () => {
  it('reads each threshold, and none when unset or blank', () => {
    expect(loadAlertConfig({})).toEqual({ thresholds: {}, topicArn: undefined });
    expect(
      loadAlertConfig({
        ALERT_FAILURE_RATE_PCT: ' 2.5 ',
        ALERT_NEW_FAILED: '0',
        ALERT_STUCK_FILES: '',
        ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-central-1:123456789012:alerts',
      }),
    ).toEqual({
      thresholds: { failure_rate_pct: 2.5, new_failed: 0 },
      topicArn: 'arn:aws:sns:eu-central-1:123456789012:alerts',
    });
  });

  it.each([
    ['ALERT_FAILURE_RATE_PCT', '101', 'expected a percentage from 0 to 100'],
    ['ALERT_FAILURE_RATE_PCT', '5%', 'expected a percentage from 0 to 100'],
    ['ALERT_NEW_FAILED', '1.5', 'expected a whole number >= 0'],
    ['ALERT_STUCK_FILES', 'many', 'expected a whole number >= 0'],
    ['ALERTS_TOPIC_ARN', 'alerts', 'expected an SNS topic ARN'],
  ])('refuses %s=%s in one line naming the variable', (name, value, reason) => {
    expect(() => loadAlertConfig({ [name]: value })).toThrow(`invalid ${name}: ${reason}`);
  });
});
