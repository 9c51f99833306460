/**
 * The two filters, on every target (targets.ts): `is_expired` on sessions and `ingestion_status`
 * on files keep exactly the matching entries, `total` counts the matches, and cursors move
 * within the filtered list. paging.test.ts checks the same on the emulator's seeded data.
 */
import { expect, it } from 'vitest';
import { INGESTION_STATUSES } from '../../../lib/api/enums';
import { expectedOrder, fileIdOf } from '../helpers';
import { pageOf, requireSample, type Served, walkAll } from './probe';
import { describeConformance, sessionsPathOf } from './targets';

describeConformance('filters', (target) => {
  it('is_expired=true keeps only EXPIRED sessions, false the others, and the totals add up', async () => {
    const path = sessionsPathOf(target());
    const all = await pageOf(target(), path, { limit: 0 });
    const expired = await pageOf(target(), path, { is_expired: 'true', limit: 100 });
    const live = await pageOf(target(), path, { is_expired: 'false', limit: 100 });
    expect(expired.data.every((s: Served) => s.status === 'EXPIRED')).toBe(true);
    expect(live.data.every((s: Served) => s.status !== 'EXPIRED')).toBe(true);
    expect(expired.total + live.total).toBe(all.total);
  });

  it('ingestion_status keeps exactly the files with that status, and total counts them', async (context) => {
    const { path } = await requireSample(target(), context);
    const { entries: files } = await walkAll(target(), path);
    for (const status of INGESTION_STATUSES) {
      const matching = files.filter((f: Served) => f.ingestion_status === status).map(fileIdOf);
      const filtered = await walkAll(target(), path, { ingestion_status: status });
      expect(filtered.total, status).toBe(matching.length);
      expect(filtered.entries.map(fileIdOf).sort(), status).toEqual(matching.sort());
    }
  });

  it('moves a cursor within the filtered, sorted list', async (context) => {
    const { path } = await requireSample(target(), context);
    const { entries: files } = await walkAll(target(), path);
    // The commonest status, so the filtered list is long enough to page in.
    const byStatus = INGESTION_STATUSES.map((s) => files.filter((f: Served) => f.ingestion_status === s));
    const kept = byStatus.sort((a, b) => b.length - a.length)[0]!;
    const status: string = kept[0]?.ingestion_status;
    if (kept.length < 8) context.skip(`only ${kept.length} files share a status`);
    const ids = expectedOrder(kept, (f: Served) => f.name, fileIdOf, 'ASC');
    const query = { ingestion_status: status, field: 'name', order: 'ASC', limit: 4 };
    const answer = await pageOf(target(), path, { ...query, after: ids[2]! });
    expect(answer.data.map(fileIdOf)).toEqual(ids.slice(3, 7));
    expect(answer.total).toBe(kept.length);
  });
});
