/**
 * What changed since the previous run: changes.csv rows and summary.json `changes`, merged as
 * a stream (see ./merge for the order both runs share).
 */
export {
  type BaselineResult,
  latestRunPrefix,
  openBaseline,
  openRunFolder,
  readBaselineSummary,
} from './baseline';
export {
  CHANGE_COLUMNS,
  CHANGES_FILE,
  type ChangeKind,
  type ChangeRow,
  type ChangeScope,
  changeCells,
  type FileRecord,
} from './columns';
export { type ChangesOutcome, type CurrentRun, sessionsWithRows, writeChanges } from './compare-runs';
export { ChangeCounts, ChangesSummary } from './counts';
export { diffSession } from './diff-session';
export { type FileRows, RecordRows, SessionFiles } from './file-rows';
export { type Baseline, BaselineOrderError, ChangesMerge, type SessionRef } from './merge';
export { fileRows, sessionRows } from './records';
