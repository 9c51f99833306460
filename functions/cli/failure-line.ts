/**
 * The one line the CLI prints when a run failed. Behind the HTTP API a store failure stays an
 * internal error; whoever runs the CLI owns the destination, so here it names the object and
 * S3's or the system's error code.
 */
import { describeFailure } from '../../lib/report/failure';
import { RunInProgressError } from '../../lib/report/leased-run';
import { StoreError } from '../../lib/store/errors';

/**
 * Why the run failed. The report engine counts a store failure as internal (behind the HTTP
 * API it is); whoever runs the CLI owns the destination, so here it names the object and S3's
 * or the system's error code.
 */
export function failureLine(error: unknown): string {
  if (error instanceof RunInProgressError) return error.message;
  const failure = describeFailure(error);
  if (failure.code !== 'INTERNAL') return failure.message;
  return storeFailureIn(error)?.message ?? failure.message;
}

/** The StoreError in `error`'s cause chain that failed on the storage itself (or refused on its own). */
function storeFailureIn(error: unknown): StoreError | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StoreError && (e.code !== undefined || e.cause === undefined)) return e;
  }
  return undefined;
}
