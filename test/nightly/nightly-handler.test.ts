/**
 * The nightly Lambda handler end to end: env pointing at the emulator (over HTTP) and s3rver,
 * DEEPSET_API_KEY set (so no Secrets Manager), stdout and stderr captured to read the structured logs
 * and the EMF metrics exactly as CloudWatch would receive them.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it, vi } from 'vitest';
import { createNightlyHandler, type NightlyHandlerOptions } from '../../functions/nightly/nightly-handler';
import { NIGHTLY_SERVICE } from '../../functions/nightly/nightly-metrics';
import { NightlyRunFailedError } from '../../functions/nightly/nightly-outcome';
import { METRICS_NAMESPACE } from '../../functions/shared/powertools';
import { API_KEY, fakeContext, useNightlyFixture } from './nightly-fixture';

const nightly = useNightlyFixture();

/** A handler as handler.ts builds it, with its own Logger and Metrics (they read env when built). */
function newHandler(env: NodeJS.ProcessEnv, extra: Partial<NightlyHandlerOptions> = {}) {
  const logger = new Logger({ serviceName: NIGHTLY_SERVICE });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE });
  return createNightlyHandler({ logger, metrics, env, ...extra });
}

type Emf = Record<string, unknown> & {
  _aws: { CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[] };
};
const emfRecords = () => nightly.output.records().filter((r): r is Emf => '_aws' in r);
const metricNames = (record: Emf) =>
  record._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name));
const logRecords = () => nightly.output.records().filter((r) => !('_aws' in r));

describe('the nightly handler', () => {
  it('judges stuck sessions by STUCK_AFTER_HOURS and compares with the night before', async () => {
    const before = await nightly.fixture.latest('beta');
    const handler = newHandler({ ...nightly.fixture.env, STUCK_AFTER_HOURS: '12' });
    expect(await handler({ workspaces: ['beta'] }, fakeContext())).toMatchObject({ succeeded: 1 });
    const latest = (await nightly.fixture.latest('beta'))!;
    const summary = JSON.parse((await nightly.fixture.store.read(`${latest.prefix}summary.json`))!.body);
    expect(summary.stuck.after_hours).toBe(12);
    expect(summary.changes).toEqual(
      before
        ? expect.objectContaining({ previous_run_id: before.run_id })
        : { unavailable: expect.any(String) },
    );
  });

  it('reports every workspace, emits metrics per workspace and NightlySucceeded, returns the summary', async () => {
    const handler = newHandler(nightly.fixture.env);
    const summary = await handler({ workspaces: ['demo', 'beta'] }, fakeContext());
    expect(summary).toMatchObject({ succeeded: 2, failed: 0 });
    expect(summary.workspaces.map((w) => [w.workspace, w.ok, w.runner])).toEqual([
      ['demo', true, 'in-process'],
      ['beta', true, 'in-process'],
    ]);
    for (const line of summary.workspaces) {
      expect((await nightly.fixture.latest(line.workspace))?.run_id).toBe(line.runId);
    }

    const emf = emfRecords();
    for (const workspace of ['demo', 'beta']) {
      const record = emf.find((r) => r.workspace === workspace)!;
      const [directive] = record._aws.CloudWatchMetrics;
      expect(directive?.Namespace).toBe('IngestionReports');
      expect(directive?.Dimensions).toEqual([['service', 'workspace']]);
      expect(metricNames(record).sort()).toEqual(
        [
          'ApiRequests',
          'ApiRetries',
          'DurationMs',
          'FailedFiles',
          'Files',
          'Sessions',
          'WorkspaceFailed',
        ].sort(),
      );
      const line = summary.workspaces.find((w) => w.workspace === workspace)!;
      expect(record).toMatchObject({
        service: 'nightly',
        Sessions: line.sessions,
        Files: line.files,
        FailedFiles: line.failedFiles,
        WorkspaceFailed: 0,
      });
      expect(record.ApiRequests).toBeGreaterThan(0);
    }
    const succeeded = emf.filter((r) => metricNames(r).includes('NightlySucceeded'));
    expect(succeeded).toHaveLength(1);
    expect(succeeded[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(succeeded[0]).toMatchObject({ NightlySucceeded: 1, service: 'nightly' });
    expect(succeeded[0]).not.toHaveProperty('workspace');

    const logs = logRecords();
    // REPORT_CONCURRENCY (default 16) is shared by the two workspaces running at once.
    expect(logs.find((l) => l.message === 'nightly run started')).toMatchObject({
      workspaces: ['demo', 'beta'],
      workspaceConcurrency: 2,
      requestConcurrency: 8,
    });
    expect(logs.map((l) => l.message)).toEqual(
      expect.arrayContaining(['nightly run started', 'workspace report published', 'nightly run succeeded']),
    );
    expect(logs.every((l) => l.service === 'nightly' && l.function_request_id)).toBe(true);
    expect(nightly.output.text()).not.toContain(API_KEY);
  });

  it('one unknown workspace: the other is published, the invocation throws naming it, no NightlySucceeded', async () => {
    const handler = newHandler(nightly.fixture.env);
    const before = await nightly.fixture.latest('demo');
    const error = await handler({ workspaces: ['ghost', 'demo'] }, fakeContext()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NightlyRunFailedError);
    expect((error as Error).message).toBe(
      'nightly run failed for 1 of 2 workspaces: ghost (WORKSPACE_NOT_FOUND)',
    );
    const { summary } = error as NightlyRunFailedError;
    expect(summary.workspaces.find((w) => w.workspace === 'ghost')?.failure?.code).toBe(
      'WORKSPACE_NOT_FOUND',
    );
    const demoRun = summary.workspaces.find((w) => w.workspace === 'demo')!;
    expect(demoRun.ok).toBe(true);
    expect((await nightly.fixture.latest('demo'))?.run_id).toBe(demoRun.runId);
    expect(demoRun.runId).not.toBe(before?.run_id);

    const emf = emfRecords();
    expect(emf.some((r) => metricNames(r).includes('NightlySucceeded'))).toBe(false);
    expect(emf.find((r) => r.workspace === 'ghost')).toMatchObject({ WorkspaceFailed: 1 });
    expect(emf.find((r) => r.workspace === 'demo')).toMatchObject({ WorkspaceFailed: 0 });
    const failedLine = logRecords().find((l) => l.message === 'workspace report failed');
    expect(failedLine).toMatchObject({
      level: 'ERROR',
      workspace: 'ghost',
      failure: { code: 'WORKSPACE_NOT_FOUND' },
    });
    expect(nightly.output.text()).not.toContain(API_KEY);
  });

  it('falls back to DEEPSET_WORKSPACES when the event names none', async () => {
    const handler = newHandler({ ...nightly.fixture.env, DEEPSET_WORKSPACES: 'beta, empty' });
    const summary = await handler({}, fakeContext());
    expect(summary.workspaces.map((w) => w.workspace)).toEqual(['beta', 'empty']);
    expect(summary.workspaces[1]).toMatchObject({ ok: true, sessions: 0, files: 0 });
  });

  it('stops before the Lambda timeout: unfinished workspaces fail as DEADLINE', async () => {
    const handler = newHandler(nightly.fixture.env);
    const error = await handler({ workspaces: ['demo', 'beta', 'empty'] }, fakeContext(1)).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      'nightly run failed for 3 of 3 workspaces: demo (DEADLINE), beta (DEADLINE), empty (DEADLINE)',
    );
  });

  it.each([
    ['a bad event', { workspaces: 'demo' }, fixtureEnv, /invalid nightly event/],
    ['a bad name', { workspaces: ['../demo'] }, fixtureEnv, /invalid workspace name/],
    ['no workspaces', {}, fixtureEnv, /no workspaces to report on/],
    ['no REPORT_BUCKET', {}, () => ({ ...nightly.fixture.env, REPORT_BUCKET: '' }), /invalid REPORT_BUCKET/],
    [
      'no API key',
      {},
      () => ({ ...nightly.fixture.env, DEEPSET_API_URL: undefined, DEEPSET_API_KEY: undefined }),
      /invalid DEEPSET_API_KEY_SECRET_ARN/,
    ],
    [
      'a bad FANOUT_THRESHOLD_FILES',
      {},
      () => ({ ...nightly.fixture.env, FANOUT_THRESHOLD_FILES: 'lots' }),
      /invalid FANOUT_THRESHOLD_FILES/,
    ],
  ])('fails before any report with %s, logging one error line', async (_, event, env, message) => {
    const handler = newHandler(env());
    await expect(handler(event, fakeContext())).rejects.toThrow(message);
    const logs = logRecords();
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ level: 'ERROR', message: 'nightly run could not start' });
    expect(emfRecords()).toEqual([]);
    expect(nightly.output.text()).not.toContain(API_KEY);
  });
});

function fixtureEnv(): NodeJS.ProcessEnv {
  return nightly.fixture.env;
}

describe('the API key from Secrets Manager', () => {
  // Secrets Manager exists only on AWS (no endpoint on this machine), hence the injected reader:
  // the same seam resolveApiKey offers, fed what GetSecretValue would return.
  const SECRET_ARN = 'arn:aws:secretsmanager:eu-central-1:123456789012:secret:deepset-api-key-AbCdEf';

  it('reads the key through resolveApiKey on every invocation (Powertools caches the real reader)', async () => {
    const reads: string[] = [];
    const readSecret = async (arn: string) => {
      reads.push(arn);
      return JSON.stringify({ apiKey: API_KEY });
    };
    const env = {
      ...nightly.fixture.env,
      DEEPSET_API_KEY: undefined,
      DEEPSET_API_KEY_SECRET_ARN: SECRET_ARN,
    };
    const handler = newHandler(env, { readSecret });
    await handler({ workspaces: ['empty'] }, fakeContext());
    await handler({ workspaces: ['empty'] }, fakeContext());
    expect(reads).toEqual([SECRET_ARN, SECRET_ARN]);
    expect(nightly.output.text()).not.toContain(API_KEY);
  });

  it('an empty secret fails the invocation without a report', async () => {
    const env = {
      ...nightly.fixture.env,
      DEEPSET_API_KEY: undefined,
      DEEPSET_API_KEY_SECRET_ARN: SECRET_ARN,
    };
    const handler = newHandler(env, { readSecret: async () => '  ' });
    await expect(handler({ workspaces: ['demo'] }, fakeContext())).rejects.toThrow(/secret .* is empty/);
  });
});

describe('handler.ts', () => {
  it('exports a handler that reads process.env once per container', async () => {
    for (const [name, value] of Object.entries(nightly.fixture.env)) vi.stubEnv(name, value);
    vi.stubEnv('DEEPSET_WORKSPACES', 'empty');
    const { handler } = await import('../../functions/nightly/handler');
    const summary = await handler({}, fakeContext());
    expect(summary).toMatchObject({ succeeded: 1, workspaces: [{ workspace: 'empty', ok: true }] });
    // Built on the first invocation and kept: a later change of env does not reach it.
    vi.stubEnv('REPORT_BUCKET', '');
    await expect(handler({}, fakeContext())).resolves.toMatchObject({ succeeded: 1 });
    expect(emfRecords().filter((r) => 'NightlySucceeded' in r)).toHaveLength(2);
  });
});
