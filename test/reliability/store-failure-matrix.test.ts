/**
 * Nothing partial, whatever fails: the store fails each write of a run in turn (the CSVs,
 * summary.json, latest.json), on s3rver through the real AWS SDK and on a folder. Every time
 * the run fails loudly, its folder keeps only summary.json (`complete: false`) and the run's
 * status, latest.json stays byte for byte as it was, and no multipart upload is left open.
 * files.csv is over 5 MiB, so it really is a multipart upload when it fails.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touch } from '../../emulator/dataset';
import { ReportFailedError } from '../../lib/report/failure';
import { latestKey, runPrefix } from '../../lib/report/layout';
import { claimRun } from '../../lib/report/leased-run';
import { publishReport } from '../../lib/report/publish';
import { newRunId } from '../../lib/report/run-id';
import { readRunStatus } from '../../lib/report/run-status';
import { ReportSummary } from '../../lib/report/summary';
import { FolderStore } from '../../lib/store/folder-store';
import type { ReportStore } from '../../lib/store/store';
import { failingStore } from '../support/failing-store';
import { type Stack, startStack } from './stack-fixture';

let stack: Stack;
let folder: string;

beforeAll(async () => {
  stack = await startStack('store-matrix-key-7c2e', { workspaces: ['matrix'] });
  // One session big enough for a files.csv over one 5 MiB part.
  const session = stack.emulator.dataset.workspaces.get('matrix')![0]!;
  for (let i = 0; i < 12_000; i++) {
    session.files.push({
      file_ingestion_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `${'long-name-'.repeat(40)}${i}.pdf`,
      ingestion_status: i % 10 === 0 ? 'FAILED' : 'FINISHED',
      ingestion_status_reason: i % 10 === 0 ? 'EMPTY_FILE' : null,
      created_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    });
  }
  touch(stack.emulator.dataset);
  folder = await mkdtemp(join(tmpdir(), 'store-matrix-'));
}, 60_000);
afterAll(async () => {
  await stack?.close();
  await rm(folder, { recursive: true, force: true });
});

const publish = (store: ReportStore, runId = newRunId()) =>
  publishReport({ client: stack.client(), store, workspace: 'matrix', mode: 'full', runId });

describe.each([
  { name: 's3rver', open: () => stack.store as ReportStore, s3: true },
  { name: 'a folder', open: () => new FolderStore(folder) as ReportStore, s3: false },
])('the store failing at each write of a run in turn ($name)', ({ open, s3 }) => {
  it('leaves only summary.json (complete: false), latest.json as it was, no open upload', async () => {
    const base = open();
    // A good run first: latest.json exists, and the recording tells which writes a run makes.
    const recorded = failingStore(base, 0);
    await publish(recorded.store);
    const writes = recorded.attempted.map((key) => key.slice(key.lastIndexOf('/') + 1));
    expect(new Set(writes)).toEqual(
      new Set(['files.csv', 'failed_files.csv', 'sessions.csv', 'summary.json', 'latest.json']),
    );

    for (let n = 1; n <= writes.length; n++) {
      const latestBefore = (await base.read(latestKey('matrix')))?.body;
      const runId = newRunId();
      const prefix = runPrefix('matrix', runId);
      const { store, attempted } = failingStore(base, n);
      const error = await publish(store, runId).catch((e: unknown) => e);
      const what = `write ${n} (${attempted[n - 1]}) failing`;
      expect(error, what).toBeInstanceOf(ReportFailedError);
      expect(await base.list(prefix), what).toEqual([`${prefix}summary.json`]);
      const summary = ReportSummary.parse(JSON.parse((await base.read(`${prefix}summary.json`))!.body));
      expect(summary, what).toMatchObject({ run_id: runId, complete: false });
      expect(summary.error?.code, what).toBe('INTERNAL');
      expect((await base.read(latestKey('matrix')))?.body, what).toBe(latestBefore);
      if (s3) {
        const uploads = await stack.s3.client.send(
          new ListMultipartUploadsCommand({ Bucket: stack.s3.bucket }),
        );
        expect(uploads.Uploads ?? [], what).toEqual([]);
      }
    }
  }, 120_000);
});

/** Whether a failure of this write must fail the run: status and lease writes never do. */
function failsTheRun(key: string, n: number): boolean {
  if (n === 1) return true; // taking the lease: the run does not start
  return !key.endsWith('/status.json') && !key.endsWith('/run.lease');
}

describe('the store failing at each write of a leased run in turn (s3rver)', () => {
  it('a failed run keeps summary.json and status.json (failed); status and lease writes fail nothing', async () => {
    const base = stack.store as ReportStore;
    // No periodic status write (a minute apart): the same writes every run, in the same order.
    const leased = async (store: ReportStore) => {
      const claimed = await claimRun({ store, workspace: 'matrix', mode: 'full', statusIntervalMs: 60_000 });
      return claimed.run(stack.client()).then(
        () => ({ claimed, failed: false }),
        () => ({ claimed, failed: true }),
      );
    };
    const recorded = failingStore(base, 0);
    await leased(recorded.store);
    const names = recorded.attempted.map((key) => key.slice(key.lastIndexOf('/') + 1));
    expect(names).toEqual([
      'run.lease', // taken
      'status.json', // running
      'files.csv',
      'failed_files.csv',
      'changes.csv', // against the run before: earlier tests left complete runs
      'sessions.csv',
      'summary.json',
      'latest.json',
      'status.json', // complete
      'run.lease', // released
    ]);

    for (let n = 1; n <= names.length; n++) {
      const latestBefore = (await base.read(latestKey('matrix')))?.body;
      const { store, attempted } = failingStore(base, n);
      const what = `write ${n} (${names[n - 1]}) failing`;
      const outcome = await leased(store).catch(() => undefined);
      expect(outcome === undefined || outcome.failed, what).toBe(failsTheRun(attempted[n - 1]!, n));
      if (outcome === undefined) {
        expect(attempted, `${what}: nothing else written`).toHaveLength(1);
      } else {
        const { prefix, runId } = outcome.claimed;
        const status = await readRunStatus(base, 'matrix', runId, prefix);
        if (outcome.failed) {
          expect(await base.list(prefix), what).toEqual([`${prefix}status.json`, `${prefix}summary.json`]);
          expect(status, what).toMatchObject({ status: 'failed', error: { code: 'INTERNAL' } });
          expect((await base.read(latestKey('matrix')))?.body, what).toBe(latestBefore);
        } else {
          expect(status?.status, what).toBe('complete');
        }
      }
      const uploads = await stack.s3.client.send(
        new ListMultipartUploadsCommand({ Bucket: stack.s3.bucket }),
      );
      expect(uploads.Uploads ?? [], what).toEqual([]);
      // A failed release leaves the lease until it expires: free it for the next round.
      const lease = await base.read('matrix/run.lease');
      if (lease) await base.remove(['matrix/run.lease']);
    }
  }, 180_000);
});
