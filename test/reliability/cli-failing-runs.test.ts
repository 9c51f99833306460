/**
 * The CLI as a real process under `--unhandled-rejections=strict`, against an API failing 62%
 * of its requests with 503: every run either completes (exit 0, one line on stdout) or fails
 * with exit 1 and exactly one line on stderr (no stack trace, no upstream text), and a failed
 * run leaves its S3 run folder with a summary.json that says `complete: false`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { S3Store } from '../../lib/store/s3-store';
import { s3rverEnv, useCliStand } from '../support/cli-stand';

const KEY = 'cli-failing-key-3e8d1f';
const RUNS = 8;
/** Runs at once: each is a whole Node process with tsx, on a machine of 2 cores. */
const PARALLEL = 2;
/** What the emulator's 503 bodies say, so that a leak of upstream text shows. */
const UPSTREAM_TEXT = /Service Temporarily Unavailable|<html|<\/?h1>|nginx/i;

const stand = useCliStand({
  folderPrefix: 'cli-failing-',
  emulator: {
    seed: 1,
    sessions: 12,
    maxFiles: 1200,
    apiKey: KEY,
    faults: {
      latencyMs: 2,
      random: [
        { fault: { kind: 'server-error', status: 503 }, probability: 0.31 },
        { fault: { kind: 'server-error', status: 503, html: true }, probability: 0.31 },
      ],
    },
  },
  s3: true,
});

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function runCliProcess(prefix: string): Promise<CliRun> {
  const argv = ['--unhandled-rejections=strict', '--import', 'tsx', 'functions/cli/main.ts'];
  const child = spawn(
    process.execPath,
    [...argv, '-w', 'demo', '--out', `s3://${stand.s3.bucket}/${prefix}`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        ...stand.env(s3rverEnv(stand.s3.endpoint)),
        // Node 20 only: the SDK's own notice about its future Node support, not the CLI's output.
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    },
  );
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    out.stdout += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    out.stderr += String(chunk);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, ...out };
}

/** The summary.json of every run folder under `prefix`. */
async function summariesUnder(prefix: string): Promise<{ complete: boolean; error?: { code: string } }[]> {
  const store = new S3Store({ client: stand.s3.client, bucket: stand.s3.bucket, prefix });
  const keys = (await store.list('demo/')).filter((key) => key.endsWith('/summary.json'));
  return Promise.all(keys.map(async (key) => JSON.parse((await store.read(key))!.body)));
}

describe('the CLI against an API failing 62% of requests', () => {
  it('exits 0 with a complete report, or 1 with one line and complete: false in the run folder', async () => {
    const runs: { prefix: string; run: CliRun }[] = [];
    for (let first = 0; first < RUNS; first += PARALLEL) {
      const round = Array.from({ length: PARALLEL }, (_, i) => `run-${first + i}`);
      runs.push(
        ...(await Promise.all(round.map(async (prefix) => ({ prefix, run: await runCliProcess(prefix) })))),
      );
    }
    let failed = 0;
    for (const { prefix, run } of runs) {
      const summaries = await summariesUnder(prefix);
      expect(summaries, `${prefix}: one run folder`).toHaveLength(1);
      if (run.code === 0) {
        expect(run.stderr).toBe('');
        expect(run.stdout).toMatch(/^complete: demo, 12 sessions, [\d,]+ files .*\n$/);
        expect(summaries[0]!.complete).toBe(true);
        continue;
      }
      failed++;
      expect({ prefix, code: run.code, stdout: run.stdout }).toEqual({ prefix, code: 1, stdout: '' });
      expect(run.stderr, `${prefix}: exactly one line`).toMatch(/^error: [^\n]+\n$/);
      expect(run.stderr).not.toMatch(/^\s+at |\.ts:\d|Error:/m);
      expect(run.stderr).not.toMatch(UPSTREAM_TEXT);
      expect(summaries[0]).toMatchObject({ complete: false, error: { code: expect.any(String) } });
    }
    expect(failed, 'runs that failed (at 62% 503s, most do)').toBeGreaterThan(0);
  }, 180_000);
});
