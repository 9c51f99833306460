/**
 * Reports on workspaces too big for one Lambda run, in three steps that Step Functions (or a
 * local loop) strings together: plan (sessions in batches, a manifest), one worker per batch
 * (part files and counts), finalize (the CSVs from the parts, summary.json, latest.json). The
 * output is byte for byte the single-process report's.
 */

export { assembleReport, piecesOf } from './assemble';
export { addUpBatches, BatchCounts, batchCountsOf } from './batch-counts';
export { countFilesOf, countSessionFiles, countWorkspaceFiles, type WorkspaceFileCount } from './count-files';
export { FailureRecord, readFailureRecord, writeFailureRecord } from './failure-record';
export { type FinalizedRun, type FinalizeFanoutOptions, finalizeFanout, recordPlanFailure } from './finalize';
export {
  batchLabel,
  countsKey,
  errorKey,
  fanoutPrefix,
  manifestKey,
  PART_FILES,
  type PartName,
  partKey,
} from './layout';
export { DEFAULT_LOCAL_WORKERS, type RunFanoutLocallyOptions, runFanoutLocally } from './local-loop';
export {
  type BatchLimits,
  DEFAULT_BATCH_LIMITS,
  Manifest,
  ManifestBatch,
  splitIntoBatches,
} from './manifest';
export { FanoutPlan, type PlanFanoutOptions, planFanout } from './plan';
export { type RunBatchOptions, runBatch } from './worker';
