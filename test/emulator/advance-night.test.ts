/**
 * The emulator's night step: what it reports is what changed, counted here independently by
 * comparing the dataset before and after by ID; the same seed gives the same night, and a
 * second night differs from the first.
 */
import { describe, expect, it } from 'vitest';
import { advanceNight, type NightChanges } from '../../emulator/advance-night';
import { type EmulatorFile, type EmulatorSession, generateDataset } from '../../emulator/dataset';
import { micros, NOW } from './helpers';

const fresh = () => generateDataset({ seed: 5, sessions: 40, maxFiles: 400, now: NOW });
const copy = (sessions: EmulatorSession[]): EmulatorSession[] => structuredClone(sessions);

/** The night's changes as the two datasets show them. */
function observed(before: EmulatorSession[], after: EmulatorSession[]) {
  const afterById = new Map(after.map((s) => [s.session_id, s]));
  const beforeIds = new Set(before.map((s) => s.session_id));
  const result = { finished: 0, failed: 0, added: 0, removed: 0, otherChanges: 0 };
  for (const old of before) {
    const now = afterById.get(old.session_id);
    if (!now) continue;
    const nowFiles = new Map(now.files.map((f) => [f.file_ingestion_id, f]));
    const oldIds = new Set(old.files.map((f) => f.file_ingestion_id));
    for (const file of old.files) {
      const later = nowFiles.get(file.file_ingestion_id);
      if (!later) result.removed++;
      else if (JSON.stringify(later) !== JSON.stringify(file)) countChange(result, file, later);
    }
    result.added += now.files.filter((f) => !oldIds.has(f.file_ingestion_id)).length;
  }
  return {
    ...result,
    gone: before.filter((s) => !afterById.has(s.session_id)),
    arrived: after.filter((s) => !beforeIds.has(s.session_id)),
  };
}

function countChange(
  result: { finished: number; failed: number; otherChanges: number },
  was: EmulatorFile,
  is: EmulatorFile,
) {
  const sameOtherwise =
    was.name === is.name && was.created_at === is.created_at && was.ingestion_status === 'PENDING';
  if (sameOtherwise && is.ingestion_status === 'FINISHED' && is.ingestion_status_reason === null)
    result.finished++;
  else if (sameOtherwise && is.ingestion_status === 'FAILED' && is.ingestion_status_reason) result.failed++;
  else result.otherChanges++;
}

describe('advanceNight', () => {
  it('reports exactly what changed: pending files settled, files added and removed, one session gone, one new', () => {
    const dataset = fresh();
    const before = copy(dataset.workspaces.get('demo')!);
    const changes = advanceNight(dataset, { seed: 1 });
    const after = dataset.workspaces.get('demo')!;
    const seen = observed(before, after);
    expect(seen.otherChanges).toBe(0);
    expect(changes.finished).toBe(seen.finished);
    expect(changes.failed).toBe(seen.failed);
    expect(changes.added).toBe(seen.added);
    expect(changes.removed).toBe(seen.removed);
    expect(seen.gone.map((s) => ({ session_id: s.session_id, files: s.files.length }))).toEqual([
      changes.removedSession,
    ]);
    expect(seen.arrived.map((s) => ({ session_id: s.session_id, files: s.files.length }))).toEqual([
      changes.newSession,
    ]);
    // Every kind of change happened, so the counts above are not trivially zero.
    for (const n of [
      changes.finished,
      changes.failed,
      changes.added,
      changes.removed,
      changes.newSession.files,
    ]) {
      expect(n).toBeGreaterThan(0);
    }
    expect(dataset.version).toBe(2);
  });

  it('deletes the oldest EXPIRED session and starts the new one during the night, files in order within it', () => {
    const dataset = fresh();
    const before = copy(dataset.workspaces.get('demo')!);
    const changes = advanceNight(dataset, { seed: 1 });
    const expired = before
      .filter((s) => s.status === 'EXPIRED')
      .sort((a, b) => micros(a.created_at)! - micros(b.created_at)!);
    expect(changes.removedSession?.session_id).toBe(expired[0]!.session_id);
    const until = micros(changes.until)!;
    expect(until).toBe(micros(NOW.toISOString().replace('.000Z', 'Z'))! + 86_400_000_000);
    const arrived = dataset.workspaces
      .get('demo')!
      .find((s) => s.session_id === changes.newSession.session_id)!;
    expect(arrived.status).toBe('OPEN');
    expect(micros(arrived.created_at)!).toBeGreaterThan(until - 86_400_000_000);
    expect(micros(arrived.created_at)!).toBeLessThan(until);
    const stamps = arrived.files.map((f) => micros(f.created_at)!);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(stamps.every((t) => t >= micros(arrived.created_at)! && t < until)).toBe(true);
  });

  it("adds files after each session's existing files, inside the night", () => {
    const dataset = fresh();
    const before = new Map(copy(dataset.workspaces.get('demo')!).map((s) => [s.session_id, s]));
    const changes = advanceNight(dataset, { seed: 1 });
    const until = micros(changes.until)!;
    for (const session of dataset.workspaces.get('demo')!) {
      const old = before.get(session.session_id);
      if (!old) continue;
      const oldIds = new Set(old.files.map((f) => f.file_ingestion_id));
      const newest = Math.max(0, ...old.files.map((f) => micros(f.created_at)!));
      const added = session.files.filter((f) => !oldIds.has(f.file_ingestion_id));
      if (added.length > 0) expect(session.status).toBe('OPEN');
      expect(added.every((f) => micros(f.created_at)! > newest && micros(f.created_at)! < until)).toBe(true);
    }
  });

  it('is deterministic: the same data and seed give the same night', () => {
    const [one, two] = [fresh(), fresh()];
    expect(advanceNight(one, { seed: 9 })).toEqual(advanceNight(two, { seed: 9 }));
    expect(JSON.stringify([...one.workspaces])).toBe(JSON.stringify([...two.workspaces]));
    const other = fresh();
    expect(advanceNight(other, { seed: 10 })).not.toEqual(advanceNight(fresh(), { seed: 9 }));
  });

  it('gives a different second night from the same seed, one day later', () => {
    const dataset = fresh();
    const first: NightChanges = advanceNight(dataset, { seed: 3 });
    const before = copy(dataset.workspaces.get('demo')!);
    const second = advanceNight(dataset, { seed: 3 });
    expect(second.newSession.session_id).not.toBe(first.newSession.session_id);
    expect(micros(second.until)! - micros(first.until)!).toBe(86_400_000_000);
    const seen = observed(before, dataset.workspaces.get('demo')!);
    expect([second.finished, second.failed, second.added, second.removed]).toEqual([
      seen.finished,
      seen.failed,
      seen.added,
      seen.removed,
    ]);
    expect([second.finished, second.added]).not.toEqual([first.finished, first.added]);
  });

  it('names the workspace it cannot find', () => {
    expect(() => advanceNight(fresh(), { seed: 1, workspace: 'nope' })).toThrow(
      'advanceNight: no workspace nope',
    );
  });
});
