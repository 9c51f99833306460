/**
 * The merge on hand-made rows, for what the emulator never produces: files without an ID
 * (keyed by session and name, repeated names matched in turn), sessions tied on created_at,
 * sessions that vanished during a run, a damaged baseline, and a baseline stream that is read
 * one session ahead at most.
 */
import { describe, expect, it } from 'vitest';
import {
  type Baseline,
  BaselineOrderError,
  type ChangeRow,
  ChangesMerge,
  diffSession,
  type FileRecord,
  type SessionRef,
  sessionsWithRows,
} from '../../lib/report/changes';

const file = (
  session_id: string,
  id: string | null,
  name: string,
  status: string,
  reason: string | null = null,
): FileRecord => ({
  session_id,
  file_ingestion_id: id,
  name,
  status,
  reason,
});
const brief = (rows: ChangeRow[]) =>
  rows.map(
    (r) =>
      `${r.session_id}/${r.file_ingestion_id ?? r.name}:${r.previous_status ?? ''}>${r.status ?? ''}:${r.change}`,
  );

/** The rows as a baseline stream, one row a batch, counting the rows pulled. */
async function* stream(rows: FileRecord[], pulled = { count: 0 }): AsyncGenerator<FileRecord[]> {
  for (const row of rows) {
    pulled.count++;
    yield [row];
  }
}

const baselineOf = (sessions: SessionRef[], rows: FileRecord[], pulled?: { count: number }): Baseline => ({
  runId: '20261120T030000000Z-aaaaaa',
  scope: 'all',
  sessions,
  rows: stream(rows, pulled),
});

describe('diffSession', () => {
  it('places a removed file where the baseline had it and keeps the current order', () => {
    const old = [
      file('s', 'a', 'a', 'PENDING'),
      file('s', 'b', 'b', 'FINISHED'),
      file('s', 'c', 'c', 'PENDING'),
    ];
    const now = [
      file('s', 'a', 'a', 'PENDING'),
      file('s', 'c', 'c', 'FAILED', 'EMPTY_FILE'),
      file('s', 'd', 'd', 'PENDING'),
    ];
    expect(brief(diffSession(old, now))).toEqual([
      's/b:FINISHED>:removed',
      's/c:PENDING>FAILED:status_changed',
      's/d:>PENDING:added',
    ]);
  });

  it('keys files without an ID by name, the n-th of a repeated name matching the n-th', () => {
    const old = [
      file('s', null, 'x.pdf', 'PENDING'),
      file('s', null, 'x.pdf', 'PENDING'),
      file('s', null, 'y.pdf', 'FAILED'),
    ];
    const now = [
      file('s', null, 'x.pdf', 'FINISHED'),
      file('s', null, 'x.pdf', 'PENDING'),
      file('s', null, 'x.pdf', 'PENDING'),
    ];
    expect(brief(diffSession(old, now))).toEqual([
      's/x.pdf:PENDING>FINISHED:status_changed',
      's/y.pdf:FAILED>:removed',
      's/x.pdf:>PENDING:added',
    ]);
  });

  it('tells an ID-less file from one with an ID of the same text', () => {
    const rows = diffSession([file('s', 'n.pdf', 'n.pdf', 'PENDING')], [file('s', null, 'n.pdf', 'PENDING')]);
    expect(brief(rows)).toEqual(['s/n.pdf:PENDING>:removed', 's/n.pdf:>PENDING:added']);
  });

  it('keeps the reason: the current one, or for a removed file the last one seen', () => {
    const [gone] = diffSession([file('s', 'a', 'a', 'FAILED', 'SLOWDOWN')], []);
    expect(gone).toMatchObject({
      previous_status: 'FAILED',
      status: null,
      reason: 'SLOWDOWN',
      change: 'removed',
    });
  });
});

describe('ChangesMerge across sessions', () => {
  const t1 = '2026-11-18T10:00:00Z';
  const t2 = '2026-11-19T10:00:00.5Z';
  const t3 = '2026-11-19T10:00:00.500000Z';

  it('puts gone sessions in place (created_at, then ID), new ones all added, and gone ones after the last current one', async () => {
    const previous: SessionRef[] = [
      { session_id: 'A', created_at: t1 },
      { session_id: 'B', created_at: t2 },
      { session_id: 'D', created_at: t3 },
      { session_id: 'F', created_at: '2026-11-19T23:00:00Z' },
    ];
    const rows = [
      file('A', '1', 'a', 'PENDING'),
      file('D', '4', 'd', 'FAILED'),
      file('F', '6', 'f', 'FINISHED'),
    ];
    const merge = new ChangesMerge(baselineOf(previous, rows));
    // C ties with B and D on the instant (written differently); IDs decide: B < C < D.
    const out = [
      ...(await merge.session({ session_id: 'C', created_at: '2026-11-19T10:00:00.500+00:00' }, [
        file('C', '3', 'c', 'PENDING'),
      ])),
      ...(await merge.session({ session_id: 'D', created_at: t3 }, [file('D', '4', 'd', 'FAILED')])),
      ...(await merge.finish()),
    ];
    expect(brief(out)).toEqual(['A/1:PENDING>:removed', 'C/3:>PENDING:added', 'F/6:FINISHED>:removed']);
    expect(merge.summary()).toMatchObject({ added: 1, removed: 2, status_changed: 0, transitions: {} });
  });

  it('skips a session that vanished during either run and lists it', async () => {
    const previous: SessionRef[] = [
      { session_id: 'A', created_at: t1, error: 'SESSION_NOT_FOUND' },
      { session_id: 'B', created_at: t2 },
    ];
    const merge = new ChangesMerge(baselineOf(previous, [file('B', '2', 'b', 'PENDING')]));
    const out = [
      ...(await merge.session({ session_id: 'A', created_at: t1 }, [file('A', '1', 'a', 'PENDING')])),
      ...(await merge.session({ session_id: 'B', created_at: t2, error: 'SESSION_NOT_FOUND' }, [])),
      ...(await merge.finish()),
    ];
    expect(out).toEqual([]);
    expect(merge.uncomparedSessions).toEqual(['A', 'B']);
  });

  it('reads the baseline one session at a time', async () => {
    const previous: SessionRef[] = [
      { session_id: 'A', created_at: t1 },
      { session_id: 'B', created_at: t2 },
    ];
    const pulled = { count: 0 };
    const rows = [
      file('A', '1', 'a', 'PENDING'),
      file('A', '2', 'a', 'PENDING'),
      file('B', '3', 'b', 'PENDING'),
      file('B', '4', 'b', 'PENDING'),
    ];
    const merge = new ChangesMerge(baselineOf(previous, rows, pulled));
    await merge.session({ session_id: 'A', created_at: t1 }, []);
    // A's two rows and the first of B (to see that A ended): nothing more.
    expect(pulled.count).toBe(3);
    await merge.session({ session_id: 'B', created_at: t2 }, []);
    expect(pulled.count).toBe(4);
  });

  it('refuses a baseline whose rows do not follow its sessions.csv', async () => {
    const previous: SessionRef[] = [
      { session_id: 'A', created_at: t1 },
      { session_id: 'B', created_at: t2 },
    ];
    const rows = [file('B', '2', 'b', 'PENDING'), file('A', '1', 'a', 'PENDING')];
    const merge = new ChangesMerge(baselineOf(previous, rows));
    await merge.session({ session_id: 'A', created_at: t1 }, []);
    await expect(merge.session({ session_id: 'B', created_at: t2 }, [])).rejects.toThrow(BaselineOrderError);
    const unknown = new ChangesMerge(baselineOf(previous, [file('Z', '9', 'z', 'PENDING')]));
    await expect(unknown.session({ session_id: 'A', created_at: t1 }, [])).rejects.toThrow(
      'previous run 20261120T030000000Z-aaaaaa: a file row of session Z is out of its sessions.csv order',
    );
  });

  it("groups the current run's rows by session, and names a row out of its sessions.csv order", async () => {
    const sessions: SessionRef[] = [
      { session_id: 'A', created_at: t1 },
      { session_id: 'B', created_at: t2 },
    ];
    const rows = [
      file('A', '1', 'a', 'FAILED'),
      file('A', '2', 'b', 'FAILED'),
      file('B', '3', 'c', 'FAILED'),
    ];
    const grouped: string[] = [];
    for await (const { session, files } of sessionsWithRows(sessions, stream(rows))) {
      grouped.push(`${session.session_id}:${files.length}`);
    }
    expect(grouped).toEqual(['A:2', 'B:1']);
    const late = sessionsWithRows(sessions, stream([...rows, file('A', '4', 'd', 'FAILED')]));
    await expect(
      (async () => {
        for await (const _ of late);
      })(),
    ).rejects.toThrow('a file row of session A is out of sessions.csv order');
  });
});
