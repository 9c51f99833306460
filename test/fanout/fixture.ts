/**
 * What the fan-out tests run against: the emulator over real HTTP and s3rver in a temp dir. The
 * dataset has sessions of very long file names, so some batches' files parts pass S3's 5 MiB
 * part minimum (the copy path) while the others stay below it (the upload path), plus undocumented
 * enum values and a session that vanishes (a warning), so every kind of count is merged.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import { type EmulatorSession, touch } from '../../emulator/dataset';
import { type LocalS3, startLocalS3 } from '../../emulator/s3/local-s3';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { UploadSessionsClient } from '../../lib/api';
import type { ReportStore } from '../../lib/store/store';

export const WORKSPACE = 'demo';
export const API_KEY = 'fanout-test-key-5e1f0c';
/** Bytes of file rows the long-name sessions get: above S3's 5 MiB minimum part size. */
const LONG_SESSION_BYTES = 5.5 * 1024 * 1024;

export interface FanoutFixture {
  emulator: RunningEmulator;
  s3: LocalS3;
  dir: string;
  /** Session IDs whose files have very long names, largest first. */
  longSessions: string[];
  /** The fan-out Lambda functions' environment: the emulator, s3rver, and batches of 1,500 files. */
  lambdaEnv: Record<string, string>;
  client(): UploadSessionsClient;
  /** Multipart uploads left open in the bucket. */
  pendingUploads(): Promise<number>;
  close(): Promise<void>;
}

export async function startFanoutFixture(options: { longSessions?: number } = {}): Promise<FanoutFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'fanout-test-'));
  const emulator = await startEmulator({
    port: 0,
    seed: 17,
    sessions: 24,
    maxFiles: 1200,
    unknownEnums: true,
    apiKey: API_KEY,
    now: new Date('2026-11-20T00:00:00Z'),
  });
  const sessions = emulator.dataset.workspaces.get(WORKSPACE)!;
  const longSessions = lengthenNames(sessions, options.longSessions ?? 2);
  const vanished = sessions.find((s) => !longSessions.includes(s.session_id) && s.files.length > 0)!;
  emulator.faults.vanishedSessions.add(vanished.session_id);
  touch(emulator.dataset);
  const s3 = await startLocalS3({ directory: join(dir, 's3') });
  return {
    emulator,
    s3,
    dir,
    longSessions,
    lambdaEnv: {
      DEEPSET_API_URL: emulator.url,
      DEEPSET_API_KEY: API_KEY,
      REPORT_BUCKET: s3.bucket,
      REPORT_PREFIX: 'reports/',
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      FANOUT_BATCH_FILES: '1500',
    },
    client: () =>
      new UploadSessionsClient({ baseUrl: emulator.url, apiKey: API_KEY, baseDelayMs: 1, maxDelayMs: 5 }),
    async pendingUploads() {
      const listed = await s3.client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket }));
      return listed.Uploads?.length ?? 0;
    },
    async close() {
      await Promise.all([emulator.close(), s3.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Gives the `count` largest sessions names long enough that their file rows pass
 * LONG_SESSION_BYTES; the names carry commas, quotes and a leading '=' for the CSV encoder.
 */
function lengthenNames(sessions: EmulatorSession[], count: number): string[] {
  const largest = [...sessions].sort((a, b) => b.files.length - a.files.length).slice(0, count);
  for (const session of largest) {
    const length = Math.ceil(LONG_SESSION_BYTES / session.files.length);
    session.files.forEach((file, index) => {
      const stem = `=long, "quoted" name ${index} `;
      file.name = stem + 'x'.repeat(Math.max(0, length - stem.length));
    });
  }
  return largest.map((session) => session.session_id);
}

/** A stored object's exact bytes, or undefined when absent. */
export async function bytesOf(store: ReportStore, key: string): Promise<Buffer | undefined> {
  const stream = await store.readStream(key);
  if (!stream) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}
