/** Lambda entry of the fan-out workflow's Finish and RecordFailure steps; the wiring is in ./finalize-handler. */
import { lambdaTelemetry } from '../../shared/powertools';
import { createFinalizeHandler } from './finalize-handler';

export const handler = createFinalizeHandler(lambdaTelemetry());
