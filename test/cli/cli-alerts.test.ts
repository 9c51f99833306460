/**
 * The CLI's alerts, in-process (runCli) against the emulator over real HTTP: each broken rule on
 * stderr in one line, exit 0 since the report is complete, 3 with --fail-on-alert; a rule not
 * broken prints nothing; a bad threshold is a configuration error (exit 2) before any request.
 * With ALERTS_TOPIC_ARN the CLI also publishes, to a local stand-in of SNS's query protocol
 * (SNS cannot run here).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { USAGE } from '../../functions/cli/args';
import { runCli } from '../../functions/cli/run-cli';
import { ReportSummary } from '../../lib/report/summary';
import { capturedCliIo } from '../support/captured-io';
import { type SnsStandIn, startSnsStandIn } from '../support/sns-stand-in';

const KEY = 'cli-alerts-key-7d21aa';
const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:alerts';
let emulator: RunningEmulator;
let sns: SnsStandIn;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-alerts-'));
  emulator = await startEmulator({ port: 0, seed: 3, sessions: 4, maxFiles: 120, apiKey: KEY });
  sns = await startSnsStandIn();
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await sns.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

let runs = 0;
/** Runs the CLI into a fresh folder; its exit code, output and the summary it wrote. */
async function run(extraArgs: string[], alertEnv: Record<string, string>) {
  const { text, io } = capturedCliIo();
  const before = emulator.stats.requests;
  const out = join(dir, `run-${++runs}`);
  const env = { DEEPSET_API_URL: emulator.url, DEEPSET_API_KEY: KEY, ...alertEnv };
  const code = await runCli(['-w', 'demo', '--out', out, '-q', ...extraArgs], env, io);
  const summary =
    code === 2
      ? undefined
      : ReportSummary.parse(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')));
  return { code, out: text.out, err: text.err, requests: emulator.stats.requests - before, summary };
}

function ratePct(summary: ReportSummary): number {
  return Math.round(((summary.files.by_ingestion_status.FAILED ?? 0) / summary.files.total) * 10_000) / 100;
}

describe('CLI alerts', () => {
  it('prints each broken rule on stderr and exits 0; 3 with --fail-on-alert', async () => {
    const first = await run([], { ALERT_FAILURE_RATE_PCT: '0' });
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/^complete: demo, /);
    expect(first.err).toBe(`alert: demo: failure_rate_pct ${ratePct(first.summary!)} > 0\n`);
    const failing = await run(['--fail-on-alert'], { ALERT_FAILURE_RATE_PCT: '0' });
    expect(failing.code).toBe(3);
    expect(failing.err).toBe(`alert: demo: failure_rate_pct ${ratePct(failing.summary!)} > 0\n`);
  });

  it('prints nothing and exits 0 when no rule breaks, even with --fail-on-alert', async () => {
    const result = await run(['--fail-on-alert'], { ALERT_FAILURE_RATE_PCT: '100', ALERT_NEW_FAILED: '0' });
    expect(result).toMatchObject({ code: 0, err: '' });
  });

  it('refuses a bad threshold with exit 2, naming the variable, before any request', async () => {
    const result = await run([], { ALERT_STUCK_FILES: 'ten' });
    expect(result).toMatchObject({
      code: 2,
      err: 'error: invalid ALERT_STUCK_FILES: expected a whole number >= 0\n',
      requests: 0,
    });
  });

  it('publishes to ALERTS_TOPIC_ARN too, and a denied publish only warns', async () => {
    // The SDK takes credentials from process.env, the endpoint from the CLI's env.
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    const env = {
      ALERT_FAILURE_RATE_PCT: '1',
      ALERTS_TOPIC_ARN: TOPIC,
      AWS_ENDPOINT_URL_SNS: sns.endpoint,
      AWS_REGION: 'eu-central-1',
    };
    const sent = await run([], env);
    expect(sent.code).toBe(0);
    expect(
      sns.requests.map((r) => [r.Action, r.TopicArn, r['MessageAttributes.entry.1.Value.StringValue']]),
    ).toEqual([['Publish', TOPIC, 'demo']]);
    sns.denyPublish(true);
    const denied = await run(['--fail-on-alert'], env);
    expect(denied.code).toBe(3);
    expect(denied.err).toBe(
      `warning: alert not published: AuthorizationErrorException: User: <arn> is not authorized to perform: SNS:Publish on resource: <arn>\n` +
        `alert: demo: failure_rate_pct ${ratePct(denied.summary!)} > 1\n`,
    );
  });

  it('documents --fail-on-alert in --help', () => {
    expect(USAGE).toContain('--fail-on-alert');
    expect(USAGE).toContain('ALERT_NEW_FAILED');
  });
});
