/**
 * The listing walk against an in-memory list served like the API, changing between requests:
 * the page_number fast path when nothing changes, cursors when something did, nothing lost or
 * doubled either way.
 */
import { describe, expect, it } from 'vitest';
import { type Page, type PageQuery, walkListing } from '../../lib/api';

/** A list served like the API: page_number offsets or `after` cursors over its current state. */
function listing(initial: string[]) {
  const state = { items: [...initial], requests: [] as PageQuery[] };
  const fetchPage = async (query: PageQuery): Promise<Page<string>> => {
    state.requests.push(query);
    const before = state.items.length;
    await Promise.resolve();
    const start = query.after
      ? state.items.indexOf(query.after) + 1
      : ((query.page_number ?? 1) - 1) * query.limit;
    const data = state.items.slice(start, start + query.limit);
    return { data, total: before, has_more: start + query.limit < state.items.length };
  };
  return { state, fetchPage };
}

async function collect(list: ReturnType<typeof listing>, hook?: (n: number) => void) {
  let out: string[] = [];
  const result = await walkListing<string>({
    fetchPage: async (query) => {
      hook?.(list.state.requests.length);
      return list.fetchPage(query);
    },
    idOf: (id) => id,
    onEntries: (ids) => {
      out.push(...ids);
    },
    onRestart: () => {
      out = [];
    },
    window: 4,
  });
  return { out, result };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `id-${String(i).padStart(6, '0')}`);

describe('walkListing', () => {
  it('reads every entry once with ceil(n/100) requests when nothing changes', async () => {
    for (const n of [0, 1, 100, 101, 250, 1000]) {
      const list = listing(ids(n));
      const { out, result } = await collect(list);
      expect(out).toEqual(ids(n));
      expect(result).toEqual({ count: n, mode: 'pages' });
      expect(list.state.requests.length).toBe(Math.max(1, Math.ceil(n / 100)));
    }
  });

  it('falls back to cursors when an entry is deleted mid-walk, losing nothing that stayed', async () => {
    const all = ids(450);
    const list = listing(all);
    const { out, result } = await collect(list, (n) => {
      if (n === 2) list.state.items.splice(10, 1); // id-000010 vanishes after page 1 was read
    });
    expect(result.mode).toBe('cursor');
    expect(out).toEqual(all.filter((id) => id !== 'id-000010'));
    expect(new Set(out).size).toBe(out.length);
  });

  it('falls back to cursors when an entry is inserted mid-walk, with no duplicate', async () => {
    const list = listing(ids(300));
    const { out, result } = await collect(list, (n) => {
      if (n === 2) list.state.items.splice(5, 0, 'id-000004a');
    });
    expect(result.mode).toBe('cursor');
    expect(new Set(out).size).toBe(out.length);
    for (const id of ids(300)) expect(out).toContain(id);
  });
});
