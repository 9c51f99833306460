import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { ValidationErrorBody } from '../../lib/api/schemas';
import { AUTH, filesPath, get, KEY, NOW, sessionsOf, sessionsPath } from './helpers';

let emulator: RunningEmulator;
let sessionId: string;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 3, sessions: 6, maxFiles: 120, apiKey: KEY, now: NOW });
  sessionId = sessionsOf(emulator).find((s) => s.files.length > 0)!.session_id;
});
afterAll(() => emulator.close());

/** The 422 body, checked against the FastAPI schema the client uses. */
async function invalid(path: string, query: Record<string, string>) {
  const answer = await get(emulator, path, query);
  expect(answer.status).toBe(422);
  expect(ValidationErrorBody.safeParse(answer.body).success).toBe(true);
  return answer.body.detail as { type: string; loc: string[]; msg: string; input: unknown; ctx?: object }[];
}

describe('422 for each kind of invalid input, FastAPI-shaped', () => {
  it('limit above 100', async () => {
    expect(await invalid(sessionsPath(), { limit: '101' })).toEqual([
      {
        type: 'less_than_equal',
        loc: ['query', 'limit'],
        msg: 'Input should be less than or equal to 100',
        input: '101',
        ctx: { le: 100 },
      },
    ]);
  });

  it('limit that is not an integer', async () => {
    const [detail] = await invalid(sessionsPath(), { limit: 'x' });
    expect(detail).toEqual({
      type: 'int_parsing',
      loc: ['query', 'limit'],
      msg: 'Input should be a valid integer, unable to parse string as an integer',
      input: 'x',
    });
    expect((await invalid(sessionsPath(), { limit: '1.5' }))[0]!.type).toBe('int_parsing');
  });

  it('page_number 0', async () => {
    const [detail] = await invalid(filesPath(sessionId), { page_number: '0' });
    expect(detail).toMatchObject({
      type: 'greater_than_equal',
      loc: ['query', 'page_number'],
      ctx: { ge: 1 },
    });
    expect(detail!.msg).toBe('Input should be greater than or equal to 1');
  });

  it('a bad UUID in before, after and the session_id path parameter', async () => {
    const [before] = await invalid(sessionsPath(), { before: 'not-a-uuid' });
    expect(before).toMatchObject({ type: 'uuid_parsing', loc: ['query', 'before'], input: 'not-a-uuid' });
    expect(before!.msg).toBe(
      'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1',
    );
    const [after] = await invalid(sessionsPath(), { after: '1234' });
    expect(after).toMatchObject({
      type: 'uuid_parsing',
      loc: ['query', 'after'],
      ctx: { error: 'invalid length: expected length 32 for simple format, found 4' },
    });
    const [path] = await invalid(filesPath('12345678-1234-1234-1234-1234567890'), {});
    expect(path).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'session_id'] });
    expect(path!.msg).toContain('invalid group length in group 4: expected 12, found 10');
  });

  it('a bad sort field, order and ingestion_status, with pydantic enum wording', async () => {
    const [field] = await invalid(filesPath(sessionId), { field: 'file_count' });
    expect(field).toMatchObject({ type: 'enum', loc: ['query', 'field'], input: 'file_count' });
    expect(field!.msg).toBe(
      "Input should be 'created_at', 'ingestion_status', 'ingestion_status_reason' or 'name'",
    );
    const [order] = await invalid(sessionsPath(), { order: 'asc' });
    expect(order).toEqual({
      type: 'enum',
      loc: ['query', 'order'],
      msg: "Input should be 'ASC' or 'DESC'",
      input: 'asc',
      ctx: { expected: "'ASC' or 'DESC'" },
    });
    const [status] = await invalid(filesPath(sessionId), { ingestion_status: 'QUEUED' });
    expect(status).toMatchObject({ type: 'enum', loc: ['query', 'ingestion_status'] });
    expect(status!.msg).toBe("Input should be 'PENDING', 'FAILED' or 'FINISHED'");
  });

  it('a bad is_expired, while accepting every spelling pydantic accepts', async () => {
    const [detail] = await invalid(sessionsPath(), { is_expired: 'maybe' });
    expect(detail).toEqual({
      type: 'bool_parsing',
      loc: ['query', 'is_expired'],
      msg: 'Input should be a valid boolean, unable to interpret input',
      input: 'maybe',
    });
    const totals = new Map<string, number>();
    for (const spelling of ['true', 'False', 'YES', 'no', 'on', 'OFF', '1', '0', 't', 'F', 'y', 'N']) {
      const answer = await get(emulator, sessionsPath(), { is_expired: spelling });
      expect(answer.status).toBe(200);
      totals.set(spelling, answer.body.total);
    }
    expect(totals.get('YES')).toBe(totals.get('true'));
    expect(totals.get('OFF')).toBe(totals.get('False'));
  });

  it('page_number together with a cursor, and both cursors together', async () => {
    const id = sessionsOf(emulator)[0]!.session_id;
    const [withPage] = await invalid(sessionsPath(), { page_number: '1', after: id });
    expect(withPage).toMatchObject({ type: 'value_error', loc: ['query', 'page_number'] });
    expect(withPage!.msg).toContain('clear the page_number parameter first');
    const [both] = await invalid(sessionsPath(), { before: id, after: id });
    expect(both).toMatchObject({ type: 'value_error', loc: ['query', 'after'] });
  });

  it('a cursor that is not in the (filtered) list', async () => {
    const [unknown] = await invalid(sessionsPath(), { after: '00000000-0000-4000-8000-000000000000' });
    expect(unknown).toMatchObject({ type: 'value_error', loc: ['query', 'after'] });
    const session = sessionsOf(emulator).find((s) => s.files.some((f) => f.ingestion_status === 'FINISHED'))!;
    const finished = session.files.find((f) => f.ingestion_status === 'FINISHED')!;
    const query = { ingestion_status: 'FAILED', before: finished.file_ingestion_id };
    const [filteredOut] = await invalid(filesPath(session.session_id), query);
    expect(filteredOut).toMatchObject({ type: 'value_error', loc: ['query', 'before'] });
  });

  it('lists every invalid parameter at once, path first, then the query in the documented order', async () => {
    const query = {
      order: 'up',
      field: 'size',
      page_number: '-1',
      after: 'x',
      before: 'y',
      limit: '500',
      ingestion_status: 'done',
    };
    const details = await invalid(filesPath('nope'), query);
    expect(details.map((d) => d.loc.join('.'))).toEqual([
      'path.session_id',
      'query.ingestion_status',
      'query.limit',
      'query.before',
      'query.after',
      'query.page_number',
      'query.field',
      'query.order',
    ]);
  });
});

describe('404', () => {
  it('for a valid session ID that is not in the workspace', async () => {
    const answer = await get(emulator, filesPath('9b2f3c44-1d5e-4f6a-8b7c-0d1e2f3a4b5c'));
    expect(answer.status).toBe(404);
    expect(answer.body.detail).toBe(
      "There's no session with the ID '9b2f3c44-1d5e-4f6a-8b7c-0d1e2f3a4b5c' in the workspace. Check if the ID is correct.",
    );
  });

  it('for an unknown workspace, on both endpoints', async () => {
    for (const path of [sessionsPath('nowhere'), filesPath(sessionId, 'nowhere')]) {
      const answer = await get(emulator, path);
      expect(answer.status).toBe(404);
      expect(answer.body.detail).toContain("workspace with the name 'nowhere'");
    }
  });

  it('for a path the API does not have', async () => {
    const answer = await get(emulator, '/workspaces/demo/pipelines');
    expect(answer).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
  });
});

describe('auth', () => {
  it('401 without a usable bearer key, before validation', async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer ' },
    ];
    for (const headers of headerSets) {
      const answer = await get(emulator, sessionsPath(), { limit: '500' }, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ detail: 'Not authenticated' });
    }
  });

  it('403 for a key other than the configured one, and never echoes keys', async () => {
    const answer = await get(emulator, sessionsPath(), {}, { authorization: 'Bearer wrong-key' });
    expect(answer).toMatchObject({ status: 403, body: { detail: 'Invalid API key' } });
    expect(answer.text).not.toContain('wrong-key');
    expect((await get(emulator, sessionsPath(), {}, AUTH)).status).toBe(200);
  });

  it('accepts any non-empty key when none is configured', async () => {
    const open = await startEmulator({ port: 0, sessions: 1, maxFiles: 1, now: NOW });
    try {
      const answer = await get(open, sessionsPath(), {}, { authorization: 'bearer anything' });
      expect(answer.status).toBe(200);
    } finally {
      await open.close();
    }
  });
});
