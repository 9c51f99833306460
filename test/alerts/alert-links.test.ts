/**
 * The links of an alert message: under PUBLIC_BASE_URL, the workspace's dashboard and, when the
 * run was compared with a baseline (so it wrote changes.csv), that file's download route; null
 * where the address or the file is not there.
 */
import { describe, expect, it } from 'vitest';
import { alertLinks } from '../../functions/shared/alert-links';
import type { ReportSummary } from '../../lib/report/summary';

const run = (changes?: ReportSummary['changes']) =>
  ({
    workspace: 'acme',
    run_id: '20261130T030000000Z-abc123',
    ...(changes ? { changes } : {}),
  }) as ReportSummary;

const compared: ReportSummary['changes'] = {
  previous_run_id: '20261129T030000000Z-def456',
  scope: 'all',
  added: 0,
  removed: 0,
  status_changed: 1,
  transitions: { 'PENDING->FAILED': 1 },
  newly_failed_by_reason: { TIMEOUT: 1 },
};

describe('alertLinks', () => {
  it('links the dashboard and changes.csv of a compared run', () => {
    expect(alertLinks('https://reports.example.com', run(compared))).toEqual({
      dashboard: 'https://reports.example.com/workspaces/acme/dashboard',
      changes: 'https://reports.example.com/workspaces/acme/reports/20261130T030000000Z-abc123/changes.csv',
    });
  });

  it('has no changes link without a baseline, and no links without the public address', () => {
    const origin = 'https://reports.example.com';
    expect(alertLinks(origin, run({ unavailable: 'no previous complete run' })).changes).toBeNull();
    expect(alertLinks(origin, run()).changes).toBeNull();
    expect(alertLinks(undefined, run(compared))).toEqual({ dashboard: null, changes: null });
  });
});
