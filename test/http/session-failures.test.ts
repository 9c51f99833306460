/**
 * The dashboard's top failing sessions, read from sessions.csv as it streams: a creator's name
 * whose UTF-8 bytes straddle two chunks of the stream must come out whole.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topFailingSessions } from '../../functions/http/dashboard/session-failures';
import { FolderStore } from '../../lib/store/folder-store';

const CHUNK = 64 * 1024; // a file read stream's chunk size
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'session-failures-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** sessions.csv whose row for `name` puts the first byte of `ë` last in the first chunk. */
function straddlingCsv(name: string): string {
  const header = 'session_id,status,created_by,total_files,failed\r\n';
  const filler = (i: number) => `filler-${String(i).padStart(6, '0')},CLOSED,Ada Lovelace,1,0\r\n`;
  let text = header;
  for (let i = 0; Buffer.byteLength(text + filler(i)) < CHUNK - 200; i++) text += filler(i);
  const prefix = 'target,CLOSED,';
  const accent = name.indexOf('ë');
  // Pad with one more filler of the right length so that `ë` starts at byte CHUNK - 1.
  const needed = CHUNK - 1 - Buffer.byteLength(text + prefix + name.slice(0, accent));
  text += `${'p'.repeat(needed - 15)},CLOSED,x,1,0\r\n`;
  expect(Buffer.byteLength(text + prefix + name.slice(0, accent))).toBe(CHUNK - 1);
  return `${text}${prefix}${name},10,7\r\n`;
}

describe('topFailingSessions', () => {
  it('keeps a name whole when its bytes straddle two chunks', async () => {
    const store = new FolderStore(dir);
    await store.write('sessions.csv', straddlingCsv('Zoë Müller'), { contentType: 'text/csv' });
    expect(await topFailingSessions(store, 'sessions.csv')).toEqual([
      { sessionId: 'target', createdBy: 'Zoë Müller', status: 'CLOSED', failed: 7, totalFiles: 10 },
    ]);
  });
});
