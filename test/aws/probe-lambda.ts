/**
 * The end-to-end test's eyes inside the account: a Lambda function the assertions invoke to
 * look at a workspace's newest complete run (through latest.json, as the app finds it) in the
 * report bucket (REPORT_BUCKET). It returns flat strings only, because the assertions read
 * them as custom-resource attributes (4 KB in all), and it never compares anything itself: the
 * assertions compare what it returns for two runs.
 *
 *   { action: 'run', reportPrefix, workspace }
 *     -> { status: 'missing' | 'complete' | 'incomplete', runId, files, failed_files, sessions }
 *        (each CSV as `<sha256 hex>:<bytes>`)
 *   { action: 'presign', reportPrefix, workspace, file }
 *     -> { url }             (the app's own presigned GET of that file of the run)
 */
import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { REPORT_FILES } from '../../lib/report/columns';
import { readLatest } from '../../lib/report/latest-pointer';
import { S3Store } from '../../lib/store/s3-store';

const Probe = z.discriminatedUnion('action', [
  z.object({ action: z.literal('run'), reportPrefix: z.string(), workspace: z.string() }),
  z.object({
    action: z.literal('presign'),
    reportPrefix: z.string(),
    workspace: z.string(),
    file: z.string(),
  }),
]);

const s3 = new S3Client({});

/** The three CSVs a full report has, by the key the result names them with. */
const CSV_FILES = {
  files: REPORT_FILES.files,
  failed_files: REPORT_FILES.failedFiles,
  sessions: REPORT_FILES.sessions,
} as const;

export async function handler(event: unknown): Promise<Record<string, string>> {
  const probe = Probe.parse(event);
  const bucket = process.env.REPORT_BUCKET;
  if (!bucket) throw new Error('REPORT_BUCKET is not set');
  const store = new S3Store({ client: s3, bucket, prefix: probe.reportPrefix });
  const latest = await readLatest(store, probe.workspace);
  if (!latest) return { status: 'missing' };
  if (probe.action === 'presign') {
    return { url: await store.presign(`${latest.prefix}${probe.file}`, { expiresInSeconds: 900 }) };
  }
  const summary = await store.read(`${latest.prefix}summary.json`);
  const complete =
    summary !== undefined && (JSON.parse(summary.body) as { complete?: unknown }).complete === true;
  const result: Record<string, string> = {
    status: complete ? 'complete' : 'incomplete',
    runId: latest.run_id,
  };
  for (const [name, file] of Object.entries(CSV_FILES)) {
    result[name] = await checksum(store, `${latest.prefix}${file}`);
  }
  return result;
}

/** `<sha256 hex>:<bytes>` of a stored object, streamed. */
async function checksum(store: S3Store, key: string): Promise<string> {
  const stream = await store.readStream(key);
  if (!stream) throw new Error(`${key} is missing`);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.byteLength;
  }
  return `${hash.digest('hex')}:${bytes}`;
}
