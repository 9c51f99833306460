/**
 * Alerts of a run started under `npm start` (the HTTP app's in-process launcher, as app.ts
 * builds it, thresholds from process.env): a complete run that breaks a rule logs each broken
 * rule on the app's log, and publishes nothing: the local process has no alerts topic. Against
 * the emulator over HTTP and s3rver.
 */
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { inProcessLauncher } from '../../functions/http/run-launcher';
import { UploadSessionsClient } from '../../lib/api';
import { claimRun } from '../../lib/report/leased-run';
import { API_KEY, type NightlyFixture, startNightlyFixture, stubAwsEnv } from '../nightly/nightly-fixture';

let fixture: NightlyFixture;

beforeAll(async () => {
  fixture = await startNightlyFixture();
});
afterEach(() => {
  vi.unstubAllEnvs();
});
afterAll(async () => {
  await fixture.close();
});

/** Runs `workspace` through the launcher; what it logged. */
async function launchOnce(workspace: string) {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const logger = {
    info: (message: string, fields?: Record<string, unknown>) =>
      lines.push({ level: 'info', message, fields }),
    error: (message: string, fields?: Record<string, unknown>) =>
      lines.push({ level: 'error', message, fields }),
  };
  const client = async () =>
    new UploadSessionsClient({ baseUrl: fixture.emulator.url, apiKey: API_KEY, concurrency: 4 });
  const launcher = inProcessLauncher(client, logger);
  const claimed = await claimRun({ store: fixture.store, workspace, mode: 'full' });
  await launcher.launch(claimed);
  await launcher.idle();
  return { lines, runId: claimed.runId };
}

it('logs each broken rule after the complete run', async () => {
  stubAwsEnv();
  vi.stubEnv('ALERT_FAILURE_RATE_PCT', '0');
  vi.stubEnv('ALERT_NEW_FAILED', '0'); // no baseline here: cannot break
  const { lines, runId } = await launchOnce('beta');
  expect(lines.map((l) => l.message)).toEqual([
    'report published',
    expect.stringMatching(/^alert: beta: failure_rate_pct \d+(\.\d+)? > 0$/),
  ]);
  expect(lines[1]!.fields).toMatchObject({
    workspace: 'beta',
    run_id: runId,
    rules: [{ rule: 'failure_rate_pct' }],
  });
});

it('logs nothing more when no rule breaks', async () => {
  stubAwsEnv();
  vi.stubEnv('ALERT_FAILURE_RATE_PCT', '100');
  const { lines } = await launchOnce('beta');
  expect(lines.map((l) => l.message)).toEqual(['report published']);
});

it('refuses a bad threshold when the app is built, naming the variable', () => {
  vi.stubEnv('ALERT_FAILURE_RATE_PCT', 'high');
  expect(() => inProcessLauncher(async () => undefined as never, { info() {}, error() {} })).toThrow(
    'invalid ALERT_FAILURE_RATE_PCT: expected a percentage from 0 to 100',
  );
});
