/**
 * Alerts after the nightly job's runs, through the real handler, the emulator over HTTP, s3rver
 * and the real SDK SNS client. SNS cannot run here (it exists only on AWS), so a local stand-in
 * of its query protocol (test/support/sns-stand-in.ts) receives the Publish requests, and the
 * tests assert the exact form parameters the SDK sent: one message per workspace that broke a
 * rule, none for one that did not, and a denied publish that leaves the report published.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createNightlyHandler } from '../../functions/nightly/nightly-handler';
import { NIGHTLY_SERVICE } from '../../functions/nightly/nightly-metrics';
import { METRICS_NAMESPACE } from '../../functions/shared/powertools';
import { ReportSummary } from '../../lib/report/summary';
import {
  captureOutput,
  fakeContext,
  type NightlyFixture,
  startNightlyFixture,
  stubAwsEnv,
} from '../nightly/nightly-fixture';
import { type SnsStandIn, startSnsStandIn } from '../support/sns-stand-in';

const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:ingestion-reports-alerts';

let fixture: NightlyFixture;
let sns: SnsStandIn;

beforeAll(async () => {
  fixture = await startNightlyFixture();
  sns = await startSnsStandIn();
});
afterEach(() => {
  sns.requests.length = 0;
  sns.denyPublish(false);
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await sns.close();
  await fixture.close();
});

/** One nightly invocation over `workspaces` with `alertEnv`; the output it wrote. */
async function night(workspaces: string[], alertEnv: Record<string, string>) {
  stubAwsEnv();
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', NIGHTLY_SERVICE);
  const env = { ...fixture.env, ALERTS_TOPIC_ARN: TOPIC, AWS_ENDPOINT_URL_SNS: sns.endpoint, ...alertEnv };
  const output = captureOutput();
  try {
    const logger = new Logger({ serviceName: NIGHTLY_SERVICE });
    const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE });
    const result = await createNightlyHandler({ logger, metrics, env })({ workspaces }, fakeContext());
    return { result, output };
  } finally {
    output.restore();
  }
}

async function publishedSummary(workspace: string): Promise<ReportSummary> {
  const pointer = await fixture.latest(workspace);
  const object = await fixture.store.read(`${pointer!.prefix}summary.json`);
  return ReportSummary.parse(JSON.parse(object!.body));
}

/** The EMF records carrying the alert metrics (dimension Workspace only). */
function alertRecords(records: Record<string, unknown>[]) {
  return records.filter((r) => 'FailureRatePct' in r);
}

describe('nightly alerts', () => {
  it('publishes one message for the workspace over the threshold, none for the one under it', async () => {
    const { result, output } = await night(['beta', 'empty'], {
      ALERT_FAILURE_RATE_PCT: '0',
      PUBLIC_BASE_URL: 'https://reports.example.com',
    });
    expect(result).toMatchObject({ succeeded: 2 });
    const beta = await publishedSummary('beta');
    const failed = beta.files.by_ingestion_status.FAILED ?? 0;
    expect(failed).toBeGreaterThan(0);
    const rate = Math.round((failed / beta.files.total) * 10_000) / 100;

    expect(sns.requests).toHaveLength(1); // `empty` has no files: a rate of 0 is not over 0
    const request = sns.requests[0]!;
    expect(request).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: TOPIC,
      Subject: `Ingestion alert beta: failure_rate_pct ${rate} > 0`,
      Message: expect.any(String),
      'MessageAttributes.entry.1.Name': 'workspace',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'beta',
      'MessageAttributes.entry.2.Name': 'rule',
      'MessageAttributes.entry.2.Value.DataType': 'String.Array',
      'MessageAttributes.entry.2.Value.StringValue': '["failure_rate_pct"]',
    });
    expect(JSON.parse(request.Message!)).toEqual({
      workspace: 'beta',
      run_id: beta.run_id,
      rules: [{ rule: 'failure_rate_pct', threshold: 0, value: rate }],
      counts: {
        files: beta.files.total,
        failed,
        failure_rate_pct: rate,
        // This run was compared with nothing: unknown, not 0.
        new_failed: null,
        stuck_sessions: beta.stuck!.sessions,
        stuck_files: beta.stuck!.pending_files,
      },
      links: { dashboard: 'https://reports.example.com/workspaces/beta/dashboard', changes: null },
    });

    const records = alertRecords(output.records());
    expect(records.map((r) => [r.Workspace, r.FailureRatePct])).toEqual([
      ['beta', rate],
      ['empty', 0],
    ]);
    for (const record of records) {
      const emf = (record._aws as { CloudWatchMetrics: { Namespace: string; Dimensions: string[][] }[] })
        .CloudWatchMetrics[0]!;
      expect(emf.Namespace).toBe(METRICS_NAMESPACE);
      expect(emf.Dimensions).toEqual([['Workspace']]);
      expect(record).not.toHaveProperty('service');
      expect(record).not.toHaveProperty('NewlyFailed');
    }
  });

  it('sends nothing when no rule breaks, and nothing when no rule is set', async () => {
    await night(['beta'], {});
    // The data did not change (no file newly failed), and stuck files cannot outnumber all files.
    const { files } = await publishedSummary('beta');
    await night(['beta'], {
      ALERT_FAILURE_RATE_PCT: '100',
      ALERT_NEW_FAILED: '0',
      ALERT_STUCK_FILES: String(files.total),
    });
    expect(sns.requests).toEqual([]);
  });

  it('keeps the report when the publish is denied: logged without ARNs, and counted', async () => {
    sns.denyPublish(true);
    const before = (await fixture.latest('demo'))?.run_id;
    const { result, output } = await night(['demo'], { ALERT_FAILURE_RATE_PCT: '0' });
    expect(result).toMatchObject({ succeeded: 1, failed: 0 });
    expect(sns.requests).toHaveLength(1);
    const latest = await fixture.latest('demo');
    expect(latest?.run_id).not.toBe(before);
    const logged = output.records().find((r) => r.message === 'alert not published');
    expect(logged).toMatchObject({
      level: 'ERROR',
      workspace: 'demo',
      run_id: latest!.run_id,
      error: { name: 'AuthorizationErrorException' },
    });
    expect(String((logged!.error as { message: string }).message)).toContain('not authorized');
    expect(output.text()).not.toContain(TOPIC);
    const failures = output.records().filter((r) => 'AlertPublishFailed' in r);
    expect(failures).toEqual([expect.objectContaining({ AlertPublishFailed: 1 })]);
    const emf = (failures[0]!._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] })
      .CloudWatchMetrics[0]!;
    // Under the function's service (the stack's POWERTOOLS_SERVICE_NAME), which the stack alarms on.
    expect(emf.Dimensions).toEqual([['service']]);
    expect(failures[0]).toMatchObject({ service: 'nightly' });
  });

  it('refuses a bad threshold at start, naming the variable', async () => {
    await expect(night(['beta'], { ALERT_NEW_FAILED: '-1' })).rejects.toThrow(
      'invalid ALERT_NEW_FAILED: expected a whole number >= 0',
    );
    expect(sns.requests).toEqual([]);
  });
});
