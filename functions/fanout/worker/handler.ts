/** Lambda entry of the fan-out workflow's Worker step; the wiring is in ./worker-handler. */
import { lambdaTelemetry } from '../../shared/powertools';
import { createWorkerHandler } from './worker-handler';

export const handler = createWorkerHandler(lambdaTelemetry());
