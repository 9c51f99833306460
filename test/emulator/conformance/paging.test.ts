/**
 * Paging, on every target (targets.ts): page numbers, `after` and `before` cursors, the default
 * and odd limits, `total` and `has_more`, checked against the target's own lists, so they hold
 * for any workspace. paging.test.ts checks the same on the emulator against its seeded data.
 */
import { expect, it } from 'vitest';
import { fileIdOf, sessionIdOf } from '../helpers';
import { MAX_WALK, pageOf, requireSample, walkAll } from './probe';
import { describeConformance, fetchFrom, sessionsPathOf } from './targets';

describeConformance('paging', (target) => {
  it('walks every file of a session exactly once by page_number, and the same by after cursors', async (context) => {
    const { path, fileIds } = await requireSample(target(), context);
    const byNumber = await walkAll(target(), path, {}, 7);
    expect(byNumber.entries.map(fileIdOf)).toEqual(fileIds);
    expect(new Set(fileIds).size).toBe(byNumber.total);
    expect(byNumber.requests).toBe(Math.ceil(byNumber.total / 7));

    const byCursor: string[] = [];
    let page = await pageOf(target(), path, { limit: 7 });
    byCursor.push(...page.data.map(fileIdOf));
    while (page.has_more) {
      page = await pageOf(target(), path, { limit: 7, after: byCursor.at(-1)! });
      byCursor.push(...page.data.map(fileIdOf));
    }
    expect(byCursor).toEqual(fileIds);
  });

  it('walks every session exactly once with an odd limit', async (context) => {
    const first = await pageOf(target(), sessionsPathOf(target()), { limit: 0 });
    if (first.total > MAX_WALK) context.skip(`${first.total} sessions, too many to walk`);
    const walk = await walkAll(target(), sessionsPathOf(target()), { field: 'file_count', order: 'ASC' }, 9);
    expect(walk.entries).toHaveLength(first.total);
    expect(new Set(walk.entries.map(sessionIdOf)).size).toBe(first.total);
  });

  it('defaults to 10 entries, reports the total, and answers past the end with an empty page', async (context) => {
    const { path, fileIds } = await requireSample(target(), context);
    const total = fileIds.length;
    const first = await pageOf(target(), path);
    expect(first).toMatchObject({ has_more: true, total });
    expect(first.data.map(fileIdOf)).toEqual(fileIds.slice(0, 10));
    const lastNumber = Math.ceil(total / 10);
    const last = await pageOf(target(), path, { page_number: lastNumber });
    expect(last).toMatchObject({ has_more: false, total });
    expect(last.data.map(fileIdOf)).toEqual(fileIds.slice((lastNumber - 1) * 10));
    expect(await pageOf(target(), path, { page_number: lastNumber + 1 })).toEqual({
      data: [],
      has_more: false,
      total,
    });
  });

  it('accepts limit 0 and negative limits: no entries, but the true total and has_more', async (context) => {
    const { path, fileIds } = await requireSample(target(), context);
    for (const limit of [0, -5]) {
      const answer = await fetchFrom(target(), path, { limit });
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ data: [], has_more: true, total: fileIds.length });
    }
  });

  it('gives the entries after a cursor, and the limit entries before one, in the requested order', async (context) => {
    const { path, fileIds: ids } = await requireSample(target(), context);
    const after = await pageOf(target(), path, { after: ids[9]!, limit: 10 });
    expect(after.data.map(fileIdOf)).toEqual(ids.slice(10, 20));
    expect(after).toMatchObject({ has_more: ids.length > 20, total: ids.length });
    const before = await pageOf(target(), path, { before: ids[10]!, limit: 3 });
    expect(before.data.map(fileIdOf)).toEqual(ids.slice(7, 10));
    expect(before).toMatchObject({ has_more: true, total: ids.length });
  });

  it('says has_more false when nothing lies beyond the page in the direction of travel', async (context) => {
    const { path, fileIds: ids } = await requireSample(target(), context);
    const n = ids.length;
    const nearStart = await pageOf(target(), path, { before: ids[2]!, limit: 5 });
    expect(nearStart.data.map(fileIdOf)).toEqual(ids.slice(0, 2));
    expect(nearStart.has_more).toBe(false);
    const nearEnd = await pageOf(target(), path, { after: ids[n - 3]!, limit: 3 });
    expect(nearEnd.data.map(fileIdOf)).toEqual(ids.slice(n - 2));
    expect(nearEnd.has_more).toBe(false);
    const atEnd = await pageOf(target(), path, { after: ids[n - 1]! });
    expect(atEnd).toEqual({ data: [], has_more: false, total: n });
  });

  it('walks backwards with before, covering every entry once', async (context) => {
    const { path, fileIds: ids } = await requireSample(target(), context);
    const backward: string[] = [ids.at(-1)!];
    let page = await pageOf(target(), path, { limit: 8, before: ids.at(-1)! });
    while (page.data.length > 0) {
      backward.unshift(...page.data.map(fileIdOf));
      if (!page.has_more) break;
      page = await pageOf(target(), path, { limit: 8, before: backward[0]! });
    }
    expect(backward).toEqual(ids);
  });

  it('never reduces total by cursors or page numbers', async (context) => {
    const { path, fileIds: ids } = await requireSample(target(), context);
    const queries: Record<string, string | number>[] = [
      { after: ids.at(-5)! },
      { before: ids[3]! },
      { page_number: 99 },
    ];
    for (const query of queries) expect((await pageOf(target(), path, query)).total).toBe(ids.length);
  });

  it('accepts a cursor in any UUID spelling pydantic accepts', async (context) => {
    const { path, fileIds: ids } = await requireSample(target(), context);
    const id = ids[9]!;
    for (const after of [id.toUpperCase(), id.replaceAll('-', ''), `{${id}}`, `urn:uuid:${id}`]) {
      const answer = await pageOf(target(), path, { after, limit: 2 });
      expect(answer.data.map(fileIdOf)).toEqual(ids.slice(10, 12));
    }
  });

  it('ignores unknown query parameters and takes the last of repeated ones', async (context) => {
    const { path, fileIds } = await requireSample(target(), context);
    const answer = await fetchFrom(target(), `${path}?limit=2&limit=3&color=blue`);
    expect(answer.status).toBe(200);
    expect(answer.body.data.map(fileIdOf)).toEqual(fileIds.slice(0, 3));
  });
});
