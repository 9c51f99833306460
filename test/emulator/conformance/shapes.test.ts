/**
 * The shapes of both list endpoints, on every target (targets.ts): the envelope, the fields of
 * a session and of a file (exactly the emulator's, so a field the vendor adds or drops shows),
 * the documented enum values and timestamp format, and the client's own schemas parsing them.
 */
import { expect, it } from 'vitest';
import { FAILURE_REASONS, INGESTION_STATUSES, SESSION_STATUSES, WRITE_MODES } from '../../../lib/api/enums';
import { SessionFilePage, SessionPage } from '../../../lib/api/schemas';
import { pageOf, requireSample, type Served } from './probe';
import { describeConformance, fetchFrom, sessionsPathOf } from './targets';

const TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/;

describeConformance('response shapes', (target) => {
  it('lists sessions as {data, has_more, total}, as JSON', async () => {
    const answer = await fetchFrom(target(), sessionsPathOf(target()), { limit: 100 });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(answer.body).sort()).toEqual(['data', 'has_more', 'total']);
    expect(SessionPage.safeParse(answer.body).error).toBeUndefined();
  });

  it('gives each session exactly the fields the emulator gives, with documented values', async () => {
    const { data } = await pageOf(target(), sessionsPathOf(target()), { limit: 100 });
    for (const session of data as Served[]) {
      expect(Object.keys(session).sort()).toEqual([
        'created_at',
        'created_by',
        'expires_at',
        'session_id',
        'status',
        'write_mode',
      ]);
      expect(Object.keys(session.created_by).sort()).toEqual(['family_name', 'given_name', 'user_id']);
      expect(session.created_at).toMatch(TIMESTAMP);
      if (session.expires_at !== null) expect(session.expires_at).toMatch(TIMESTAMP);
      expect(SESSION_STATUSES).toContain(session.status);
      expect(WRITE_MODES).toContain(session.write_mode);
    }
  });

  it('gives each file exactly the fields the emulator gives, created_at hidden, with documented values', async (context) => {
    const { path } = await requireSample(target(), context);
    const answer = await fetchFrom(target(), path, { limit: 100 });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(answer.body).sort()).toEqual(['data', 'has_more', 'total']);
    expect(SessionFilePage.safeParse(answer.body).error).toBeUndefined();
    for (const file of answer.body.data as Served[]) {
      expect(Object.keys(file).sort()).toEqual([
        'file_ingestion_id',
        'ingestion_status',
        'ingestion_status_reason',
        'name',
      ]);
      expect(INGESTION_STATUSES).toContain(file.ingestion_status);
      if (file.ingestion_status_reason !== null)
        expect(FAILURE_REASONS).toContain(file.ingestion_status_reason);
    }
  });
});
