/**
 * Error answers, on every target (targets.ts): FastAPI's 422 for each kind of invalid input
 * (pydantic's wording, every invalid parameter at once), 404 for an unknown session, workspace
 * or path, and 401/403 for a missing or wrong key. None depends on the workspace's data beyond
 * one session and one file read from it.
 */
import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { ValidationErrorBody } from '../../../lib/api/schemas';
import { fileIdOf } from '../helpers';
import { requireSample } from './probe';
import { type ApiTarget, describeConformance, fetchFrom, filesPathOf, sessionsPathOf } from './targets';

type Detail = { type: string; loc: string[]; msg: string; input: unknown; ctx?: object };

/** The 422 details for `query` on `path`, the body checked against the client's FastAPI schema. */
async function invalid(target: ApiTarget, path: string, query: Record<string, string>): Promise<Detail[]> {
  const answer = await fetchFrom(target, path, query);
  expect(answer.status, answer.text).toBe(422);
  expect(ValidationErrorBody.safeParse(answer.body).error).toBeUndefined();
  return answer.body.detail;
}

describeConformance('errors', (target) => {
  const sessions = () => sessionsPathOf(target());

  it('422 for limit above 100, and for a limit that is not an integer', async () => {
    expect(await invalid(target(), sessions(), { limit: '101' })).toEqual([
      {
        type: 'less_than_equal',
        loc: ['query', 'limit'],
        msg: 'Input should be less than or equal to 100',
        input: '101',
        ctx: { le: 100 },
      },
    ]);
    expect(await invalid(target(), sessions(), { limit: 'x' })).toEqual([
      {
        type: 'int_parsing',
        loc: ['query', 'limit'],
        msg: 'Input should be a valid integer, unable to parse string as an integer',
        input: 'x',
      },
    ]);
    expect((await invalid(target(), sessions(), { limit: '1.5' }))[0]!.type).toBe('int_parsing');
  });

  it('422 for page_number 0', async (context) => {
    const { path } = await requireSample(target(), context);
    const [detail] = await invalid(target(), path, { page_number: '0' });
    expect(detail).toMatchObject({
      type: 'greater_than_equal',
      loc: ['query', 'page_number'],
      ctx: { ge: 1 },
    });
    expect(detail!.msg).toBe('Input should be greater than or equal to 1');
  });

  it('422 for a bad UUID in before, after and the session_id path parameter', async () => {
    const [before] = await invalid(target(), sessions(), { before: 'not-a-uuid' });
    expect(before).toMatchObject({ type: 'uuid_parsing', loc: ['query', 'before'], input: 'not-a-uuid' });
    expect(before!.msg).toBe(
      'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `n` at 1',
    );
    const [after] = await invalid(target(), sessions(), { after: '1234' });
    expect(after).toMatchObject({
      type: 'uuid_parsing',
      loc: ['query', 'after'],
      ctx: { error: 'invalid length: expected length 32 for simple format, found 4' },
    });
    const [path] = await invalid(target(), filesPathOf(target(), '12345678-1234-1234-1234-1234567890'), {});
    expect(path).toMatchObject({ type: 'uuid_parsing', loc: ['path', 'session_id'] });
    expect(path!.msg).toContain('invalid group length in group 4: expected 12, found 10');
  });

  it('422 for a bad sort field, order and ingestion_status, with pydantic enum wording', async (context) => {
    const { path } = await requireSample(target(), context);
    const [field] = await invalid(target(), path, { field: 'file_count' });
    expect(field).toMatchObject({ type: 'enum', loc: ['query', 'field'], input: 'file_count' });
    expect(field!.msg).toBe(
      "Input should be 'created_at', 'ingestion_status', 'ingestion_status_reason' or 'name'",
    );
    expect(await invalid(target(), sessions(), { order: 'asc' })).toEqual([
      {
        type: 'enum',
        loc: ['query', 'order'],
        msg: "Input should be 'ASC' or 'DESC'",
        input: 'asc',
        ctx: { expected: "'ASC' or 'DESC'" },
      },
    ]);
    const [status] = await invalid(target(), path, { ingestion_status: 'QUEUED' });
    expect(status).toMatchObject({ type: 'enum', loc: ['query', 'ingestion_status'] });
    expect(status!.msg).toBe("Input should be 'PENDING', 'FAILED' or 'FINISHED'");
  });

  it('422 for a bad is_expired, while accepting every spelling pydantic accepts', async () => {
    expect(await invalid(target(), sessions(), { is_expired: 'maybe' })).toEqual([
      {
        type: 'bool_parsing',
        loc: ['query', 'is_expired'],
        msg: 'Input should be a valid boolean, unable to interpret input',
        input: 'maybe',
      },
    ]);
    const totals = new Map<string, number>();
    for (const spelling of ['true', 'False', 'YES', 'no', 'on', 'OFF', '1', '0', 't', 'F', 'y', 'N']) {
      const answer = await fetchFrom(target(), sessions(), { is_expired: spelling, limit: 0 });
      expect(answer.status, spelling).toBe(200);
      totals.set(spelling, answer.body.total);
    }
    for (const yes of ['YES', 'on', '1', 't', 'y']) expect(totals.get(yes), yes).toBe(totals.get('true'));
    for (const no of ['OFF', 'no', '0', 'F', 'N']) expect(totals.get(no), no).toBe(totals.get('False'));
  });

  it('422 for page_number with a cursor, both cursors together, and a cursor not in the (filtered) list', async (context) => {
    const { sessionId, path, fileIds } = await requireSample(target(), context);
    const [withPage] = await invalid(target(), sessions(), { page_number: '1', after: sessionId });
    expect(withPage).toMatchObject({ type: 'value_error', loc: ['query', 'page_number'] });
    expect(withPage!.msg).toContain('clear the page_number parameter first');
    const [both] = await invalid(target(), sessions(), { before: sessionId, after: sessionId });
    expect(both).toMatchObject({ type: 'value_error', loc: ['query', 'after'] });
    const [unknown] = await invalid(target(), sessions(), { after: randomUUID() });
    expect(unknown).toMatchObject({ type: 'value_error', loc: ['query', 'after'] });

    const file = (await fetchFrom(target(), path, { limit: 1 })).body.data[0];
    expect(fileIdOf(file)).toBe(fileIds[0]);
    const otherStatus = file.ingestion_status === 'FAILED' ? 'FINISHED' : 'FAILED';
    const [filteredOut] = await invalid(target(), path, {
      ingestion_status: otherStatus,
      before: fileIds[0]!,
    });
    expect(filteredOut).toMatchObject({ type: 'value_error', loc: ['query', 'before'] });
  });

  it('422 listing every invalid parameter at once, path first, then the query in the documented order', async () => {
    const query = {
      order: 'up',
      field: 'size',
      page_number: '-1',
      after: 'x',
      before: 'y',
      limit: '500',
      ingestion_status: 'done',
    };
    const details = await invalid(target(), filesPathOf(target(), 'nope'), query);
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

  it('404 for a valid session ID that is not in the workspace', async () => {
    const id = randomUUID();
    const answer = await fetchFrom(target(), filesPathOf(target(), id));
    expect(answer.status).toBe(404);
    expect(answer.body.detail).toBe(
      `There's no session with the ID '${id}' in the workspace. Check if the ID is correct.`,
    );
  });

  it('404 for an unknown workspace, on both endpoints', async () => {
    const nowhere = `nowhere-${randomUUID().slice(0, 8)}`;
    const elsewhere = { ...target(), workspace: nowhere };
    for (const path of [sessionsPathOf(elsewhere), filesPathOf(elsewhere, randomUUID())]) {
      const answer = await fetchFrom(target(), path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.detail).toContain(`workspace with the name '${nowhere}'`);
    }
  });

  it('404 for a path the API does not have', async () => {
    const answer = await fetchFrom(target(), `/workspaces/${target().workspace}/no_such_endpoint`);
    expect(answer).toMatchObject({ status: 404, body: { detail: 'Not Found' } });
  });

  it('401 without a usable bearer key, before validation', async () => {
    const headerSets: Record<string, string>[] = [
      {},
      { authorization: 'Basic abc' },
      { authorization: 'Bearer ' },
    ];
    for (const headers of headerSets) {
      const answer = await fetchFrom(target(), sessions(), { limit: '500' }, headers);
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ detail: 'Not authenticated' });
    }
  });

  it('403 for a key it does not know, never echoing it', async () => {
    const wrong = `not-a-key-${randomUUID()}`;
    const answer = await fetchFrom(target(), sessions(), {}, { authorization: `Bearer ${wrong}` });
    expect(answer).toMatchObject({ status: 403, body: { detail: 'Invalid API key' } });
    expect(answer.text).not.toContain(wrong);
  });
});
