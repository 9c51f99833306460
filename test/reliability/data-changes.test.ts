/**
 * Data that changes while a report runs: sessions and files inserted and deleted
 * between the pages the engine reads, file statuses changing, sessions vanishing. The emulator's
 * `onRequest` hook mutates the dataset once, at a chosen request, exactly as a live workspace
 * would change under a walk. The report must never duplicate a row, never lose an entry that
 * existed from before the run to after it, and its counts must agree with its rows. A session
 * that vanishes mid-run is a warning and the run completes (the report contract).
 */
import { describe, expect, it } from 'vitest';
import type { EmulatorSession } from '../../emulator/dataset';
import { sortedFiles, sortedSessions, truthOf } from '../support/truth';
import {
  BIG,
  biggest,
  type ChangeCase,
  changingEmulator,
  EARLIEST,
  isFilesOf,
  isSessionsRequest,
  MANY,
  mutateAt,
  newFile,
  newSession,
  removeSessions,
  reportDuring,
  sessions,
  useChangingEmulator,
} from './changing-data';
import { expectExactly, runToFolder } from './report-fixture';

useChangingEmulator();

const CHANGES: ChangeCase[] = [
  {
    name: 'sessions inserted ahead of the page being read (the total grows)',
    workspace: MANY,
    arm: () =>
      mutateAt(2, isSessionsRequest, () => {
        const first = sortedSessions(sessions(MANY))[0]!;
        sessions(MANY).push(...[0, 1, 2].map(() => newSession(first, EARLIEST)));
      }),
  },
  {
    name: 'sessions deleted from a page already read (the total shrinks)',
    workspace: MANY,
    arm: () =>
      mutateAt(2, isSessionsRequest, () =>
        removeSessions(MANY, sortedSessions(sessions(MANY)).slice(10, 13)),
      ),
  },
  {
    name: 'files inserted ahead of the page being read (the total grows)',
    workspace: BIG,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => {
        big.files.push(...[0, 1, 2, 3, 4].map(() => newFile(EARLIEST)));
      });
    },
  },
  {
    name: 'files deleted from a page already read (the total shrinks)',
    workspace: BIG,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => {
        const gone = new Set(sortedFiles(big.files).slice(20, 25));
        big.files = big.files.filter((f) => !gone.has(f));
      });
    },
  },
  {
    name: 'file statuses change between pages (mode full)',
    workspace: BIG,
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => cycleStatuses(big));
    },
  },
  {
    name: 'file statuses change between the requests of mode summary',
    workspace: BIG,
    mode: 'summary',
    arm: () => {
      const big = biggest();
      return mutateAt(2, isFilesOf(big.session_id), () => cycleStatuses(big));
    },
  },
];

/** Every fourth file moves on: PENDING -> FINISHED -> FAILED -> PENDING. */
function cycleStatuses(session: EmulatorSession): void {
  session.files.forEach((file, index) => {
    if (index % 4 !== 0) return;
    const next = { PENDING: 'FINISHED', FINISHED: 'FAILED', FAILED: 'PENDING' }[file.ingestion_status];
    if (!next) return;
    file.ingestion_status = next;
    file.ingestion_status_reason = next === 'FAILED' ? 'EMPTY_FILE' : null;
  });
}

describe('data changing during a run: no duplicates, no lost rows, counts agree', () => {
  it.each(CHANGES)('$name', async (change) => {
    expect((await reportDuring(change)).problems).toEqual([]);
  });
});

describe('a session vanishing mid-run is a warning, and the run completes', () => {
  it('deleted after it was listed, before its files were read', async () => {
    const listedAs = structuredClone(sessions(MANY));
    const gone = sortedSessions(listedAs)[42]!.session_id;
    const trigger = mutateAt(1, isFilesOf(gone), () =>
      removeSessions(MANY, [{ session_id: gone } as EmulatorSession]),
    );
    const run = await runToFolder(changingEmulator(), MANY);
    expect(trigger.fired).toBe(true);
    await expectExactly(run, truthOf(listedAs, new Set([gone])), listedAs.length);
    expect(run.summary!.warnings).toEqual([{ session_id: gone, code: 'SESSION_NOT_FOUND' }]);
  });

  it('deleted between two pages of its files: none of its rows are kept', async () => {
    const listedAs = structuredClone(sessions(BIG));
    const big = biggest();
    const trigger = mutateAt(2, isFilesOf(big.session_id), () => removeSessions(BIG, [big]));
    const run = await runToFolder(changingEmulator(), BIG);
    expect(trigger.fired).toBe(true);
    await expectExactly(run, truthOf(listedAs, new Set([big.session_id])), listedAs.length);
    expect(run.summary!.warnings).toEqual([{ session_id: big.session_id, code: 'SESSION_NOT_FOUND' }]);
  });
});
