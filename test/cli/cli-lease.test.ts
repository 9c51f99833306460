/**
 * The CLI publishing to S3 (a store with history, shared with the HTTP API and the nightly job)
 * takes the workspace's lease: refused while another run is live, even with --force; refused
 * when a run died and left its lease to expire, unless --force, which takes it over; and it
 * leaves status.json with the outcome. s3rver through the real AWS SDK, the emulator over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../functions/cli/run-cli';
import { claimRun } from '../../lib/report/leased-run';
import { readRunStatus } from '../../lib/report/run-status';
import { STACK_PREFIX, type Stack, stackEnv, startStack, stubAwsEnv } from '../reliability/stack-fixture';
import { capturedCliIo } from '../support/captured-io';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack('cli-lease-key-8d2b', { workspaces: ['leased'] });
  stubAwsEnv(stack);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await stack?.close();
});

async function cli(...extra: string[]) {
  const { text, io } = capturedCliIo();
  const out = `s3://${stack.s3.bucket}/${STACK_PREFIX}`;
  const code = await runCli(
    ['--workspace', 'leased', '--out', out, '--quiet', ...extra],
    stackEnv(stack),
    io,
  );
  return { code, ...text };
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the CLI with an s3:// destination', () => {
  it('is refused while another run is live, with or without --force', async () => {
    const live = await claimRun({ store: stack.store, workspace: 'leased', mode: 'full' });
    for (const flags of [[], ['--force']]) {
      const { code, out, err } = await cli(...flags);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toBe(`error: a run of workspace "leased" is in progress: ${live.runId}\n`);
    }
    await live.abandon({ code: 'ABANDONED', message: 'the test is done with it' });
  });

  it('takes over a lease whose run died only with --force, then runs and records its status', async () => {
    const dead = await claimRun({ store: stack.store, workspace: 'leased', mode: 'full', leaseTtlMs: 200 });
    await sleep(300);
    const refused = await cli();
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      new RegExp(
        `^error: a run of workspace "leased" \\(${dead.runId}\\) stopped without finishing; its lease expired at [^:]+:\\d\\d:\\d\\d\\.\\d{3}Z: pass --force to take it over\\n$`,
      ),
    );
    const forced = await cli('--force');
    expect(forced.code, forced.err).toBe(0);
    const runId = /\/leased\/\d{4}-\d{2}-\d{2}\/([^/]+)\/$/m.exec(forced.out.trim())![1]!;
    const prefix = `leased/${runId.slice(0, 4)}-${runId.slice(4, 6)}-${runId.slice(6, 8)}/${runId}/`;
    expect(await readRunStatus(stack.store, 'leased', runId, prefix)).toMatchObject({ status: 'complete' });
    expect(await readRunStatus(stack.store, 'leased', dead.runId, dead.prefix)).toMatchObject({
      status: 'failed',
      error: { code: 'ABANDONED' },
    });
    const again = await cli();
    expect(again.code, 'a released lease needs no --force').toBe(0);
  });
});
