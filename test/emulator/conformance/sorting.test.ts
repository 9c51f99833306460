/**
 * Sorting, on every target (targets.ts): each served list is in the documented order of its own
 * entries (NULLs last in ASC and first in DESC, strings by code point, ties by ID in the same
 * direction), DESC is ASC reversed, and the defaults are created_at DESC. sorting.test.ts checks
 * the same on the emulator against its seeded data.
 */
import { expect, it } from 'vitest';
import { FILE_SORT_FIELDS, SESSION_SORT_FIELDS, SORT_ORDERS } from '../../../lib/api/enums';
import { expectedOrder, fileIdOf, micros, sessionIdOf } from '../helpers';
import { fileCount, pageOf, requireSample, type Served, walkAll } from './probe';
import { type ApiTarget, describeConformance, sessionsPathOf } from './targets';

type Value = number | string | null;

/** What a served session sorts by (sessions have no name or reason: all tie, the ID decides). */
async function sessionValues(
  target: ApiTarget,
  field: string,
  sessions: Served[],
): Promise<(session: Served) => Value> {
  if (field === 'file_count') {
    const counts = new Map<string, number>();
    for (const s of sessions) counts.set(s.session_id, await fileCount(target, s.session_id));
    return (s) => counts.get(s.session_id)!;
  }
  if (field === 'created_at' || field === 'expires_at') return (s) => micros(s[field]);
  if (field === 'status' || field === 'write_mode') return (s) => s[field];
  return () => 'same for all';
}

/** What a served file sorts by (its created_at is hidden, so that order is checked otherwise). */
const fileValue = (field: string) => (file: Served) => file[field] as Value;

/** The IDs served for `path` and `query`, then in reverse from the end: ASC after DESC's last. */
async function reversedFromTheEnd(target: ApiTarget, path: string, query: Record<string, string>) {
  const desc = await pageOf(target, path, { ...query, order: 'DESC', limit: 20 });
  const last = desc.data.at(-1);
  if (!last) return { desc: [], asc: [], ascHasMore: false };
  const idOf = (entry: Served): string => entry.session_id ?? entry.file_ingestion_id;
  const asc = await pageOf(target, path, { ...query, order: 'ASC', limit: 20, after: idOf(last) });
  return { desc: desc.data.map(idOf), asc: asc.data.map(idOf), ascHasMore: asc.has_more };
}

describeConformance('sorting', (target) => {
  for (const field of SESSION_SORT_FIELDS) {
    for (const order of SORT_ORDERS) {
      it(`orders sessions by field=${field} order=${order}`, async () => {
        // file_count needs a request per session to know the counts: a shorter page.
        const limit = field === 'file_count' ? 20 : 100;
        const { data } = await pageOf(target(), sessionsPathOf(target()), { field, order, limit });
        const value = await sessionValues(target(), field, data);
        expect(data.map(sessionIdOf)).toEqual(expectedOrder(data, value, sessionIdOf, order));
      });
    }
  }

  it('makes DESC the exact reverse of ASC for sessions, ties included', async () => {
    for (const field of SESSION_SORT_FIELDS) {
      // ASC after DESC's 20th entry: the 19 before it in DESC, reversed, and nothing more.
      const { desc, asc, ascHasMore } = await reversedFromTheEnd(target(), sessionsPathOf(target()), {
        field,
      });
      expect(asc, field).toEqual(desc.slice(0, -1).reverse());
      expect(ascHasMore).toBe(false);
    }
  });

  it('defaults to created_at DESC for sessions', async () => {
    const path = sessionsPathOf(target());
    const byDefault = await pageOf(target(), path, { limit: 100 });
    const explicit = await pageOf(target(), path, { field: 'created_at', order: 'DESC', limit: 100 });
    expect(byDefault.data.map(sessionIdOf)).toEqual(explicit.data.map(sessionIdOf));
  });

  for (const field of FILE_SORT_FIELDS.filter((f) => f !== 'created_at')) {
    for (const order of SORT_ORDERS) {
      it(`orders a session's files by field=${field} order=${order}, across pages`, async (context) => {
        const { path } = await requireSample(target(), context);
        const { entries } = await walkAll(target(), path, { field, order });
        expect(entries.map(fileIdOf)).toEqual(expectedOrder(entries, fileValue(field), fileIdOf, order));
      });
    }
  }

  it('orders files by the hidden created_at: DESC by default, and DESC is ASC reversed', async (context) => {
    const { path, fileIds } = await requireSample(target(), context);
    const desc = await walkAll(target(), path, { field: 'created_at', order: 'DESC' });
    const asc = await walkAll(target(), path, { field: 'created_at', order: 'ASC' });
    expect(desc.entries.map(fileIdOf)).toEqual(fileIds);
    expect(asc.entries.map(fileIdOf)).toEqual([...fileIds].reverse());
  });

  it('makes DESC the exact reverse of ASC for files, ties included', async (context) => {
    const { path } = await requireSample(target(), context);
    for (const field of FILE_SORT_FIELDS) {
      const { desc, asc, ascHasMore } = await reversedFromTheEnd(target(), path, { field });
      expect(asc, field).toEqual(desc.slice(0, -1).reverse());
      expect(ascHasMore).toBe(false);
    }
  });

  it('sorts a filtered list the same way', async (context) => {
    const { path } = await requireSample(target(), context);
    const query = { field: 'name', order: 'ASC', ingestion_status: 'FINISHED' };
    const { entries } = await walkAll(target(), path, query);
    expect(entries.every((f: Served) => f.ingestion_status === 'FINISHED')).toBe(true);
    expect(entries.map(fileIdOf)).toEqual(expectedOrder(entries, fileValue('name'), fileIdOf, 'ASC'));
  });
});
