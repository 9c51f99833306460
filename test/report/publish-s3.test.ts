/**
 * Publishing to S3 end to end: the real AWS SDK against s3rver (the embedded S3), the
 * emulator over HTTP. Multipart for a big files.csv, latest.json last, and a failed run that
 * leaves latest.json as it was.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { touch } from '../../emulator/dataset';
import { type LocalS3, localS3ClientConfig, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import { ReportFailedError } from '../../lib/report/failure';
import { publishReport } from '../../lib/report/publish';
import { S3Store } from '../../lib/store/s3-store';
import type { ReportStore } from '../../lib/store/store';

let emulator: RunningEmulator;
let s3: LocalS3;
let dir: string;
const PREFIX = 'reports/';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'publish-s3-'));
  s3 = await startLocalS3({ directory: dir });
  emulator = await startEmulator({ port: 0, seed: 3, sessions: 8, maxFiles: 400 });
  // One session big enough for a files.csv over 5 MiB: 12,000 files with long names.
  const session = emulator.dataset.workspaces.get('demo')![0]!;
  session.created_at = '2001-01-01T00:00:00Z'; // first in report order
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let i = 0; i < 12_000; i++) {
    session.files.push({
      file_ingestion_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      name: `${'long-name-'.repeat(40)}${i}.pdf`,
      ingestion_status: i % 10 === 0 ? 'FAILED' : 'FINISHED',
      ingestion_status_reason: i % 10 === 0 ? 'EMPTY_FILE' : null,
      created_at: new Date(start + i * 1000).toISOString(),
    });
  }
  touch(emulator.dataset);
});
afterAll(async () => {
  await emulator.close();
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

/** Passes every call through to the real store and notes the order in which writes completed. */
function recording(store: ReportStore) {
  const written: string[] = [];
  const wrapped: ReportStore = Object.create(store);
  wrapped.write = async (key, body, options) => {
    await store.write(key, body, options);
    written.push(key);
  };
  wrapped.writeIfUnchanged = async (key, body, version, options) => {
    const ok = await store.writeIfUnchanged(key, body, version, options);
    if (ok) written.push(key);
    return ok;
  };
  return { store: wrapped, written };
}

const client = (maxAttempts = 6) =>
  new UploadSessionsClient({
    baseUrl: emulator.url,
    apiKey: 'k',
    maxAttempts,
    baseDelayMs: 1,
    maxDelayMs: 5,
  });

describe('publishing to S3', () => {
  it('uploads a big files.csv as multipart and writes latest.json last', async () => {
    // A client of its own, counting the multipart calls it sends.
    const s3Client = new S3Client(localS3ClientConfig(s3.endpoint));
    const calls: string[] = [];
    s3Client.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const { store, written } = recording(
      new S3Store({ client: s3Client, bucket: s3.bucket, prefix: PREFIX }),
    );
    const run = await publishReport({ client: client(), store, workspace: 'demo', mode: 'full' });
    expect(run.summary.complete).toBe(true);
    expect(run.latest).toBe('updated');
    expect(written.at(-1)).toBe('demo/latest.json');
    expect(written.at(-2)).toBe(`${run.prefix}summary.json`);
    expect(written.slice(0, -2).sort()).toEqual(
      ['failed_files.csv', 'files.csv', 'sessions.csv'].map((name) => run.prefix + name),
    );
    const head = await s3.client.send(
      new HeadObjectCommand({ Bucket: s3.bucket, Key: `${PREFIX}${run.prefix}files.csv` }),
    );
    expect(head.ContentLength!).toBeGreaterThan(5 * 1024 * 1024);
    expect(calls.filter((c) => c === 'CreateMultipartUploadCommand').length).toBeGreaterThanOrEqual(1);
    expect(calls.filter((c) => c === 'UploadPartCommand').length).toBeGreaterThanOrEqual(2);
    expect(calls.filter((c) => c === 'CompleteMultipartUploadCommand').length).toBeGreaterThanOrEqual(1);
    const latest = JSON.parse((await store.read('demo/latest.json'))!.body);
    expect(latest).toMatchObject({ workspace: 'demo', run_id: run.summary.run_id, prefix: run.prefix });
  });

  it('leaves latest.json as it was when a run fails, and aborts its multipart upload', async () => {
    const store = new S3Store({ client: s3.client, bucket: s3.bucket, prefix: PREFIX });
    const good = await publishReport({ client: client(), store, workspace: 'demo', mode: 'full' });
    const before = await store.read('demo/latest.json');
    // The big session is first in report order; once its rows are streaming into files.csv
    // (a multipart upload under way), the last session's files fail for good.
    const sessions = emulator.dataset.workspaces.get('demo')!;
    const big = sessions[0]!.session_id;
    const last = [...sessions].sort((a, b) => b.created_at.localeCompare(a.created_at))[0]!.session_id;
    let bigPages = 0;
    let uploadsDuringRun = 0;
    emulator.faults.onRequest = async (request) => {
      if (request.sessionId === big) bigPages++;
      if (request.sessionId !== last) return;
      while (bigPages < 120) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 500));
      const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
      uploadsDuringRun = Math.max(uploadsDuringRun, uploads.Uploads?.length ?? 0);
      throw new Error('injected failure'); // the emulator answers 500
    };
    try {
      const failing = publishReport({ client: client(2), store, workspace: 'demo', mode: 'full' });
      await expect(failing).rejects.toBeInstanceOf(ReportFailedError);
    } finally {
      emulator.faults.onRequest = undefined;
    }
    expect(uploadsDuringRun).toBeGreaterThan(0);
    expect(await store.read('demo/latest.json')).toEqual(before);
    const keys = await store.list('demo/');
    const others = keys.filter((key) => !key.startsWith(good.prefix) && key.endsWith('/summary.json'));
    const summaries = await Promise.all(others.map(async (key) => JSON.parse((await store.read(key))!.body)));
    const index = summaries.findIndex((s) => s.complete === false);
    expect(summaries[index].error.code).toBe('API_SERVER_ERROR');
    const failedPrefix = others[index]!.replace('summary.json', '');
    expect(keys.filter((key) => key.startsWith(failedPrefix))).toEqual([`${failedPrefix}summary.json`]);
    const uploads = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
    expect(uploads.Uploads ?? []).toEqual([]);
  });
});
