/** Lambda entry of the fan-out workflow's Plan step; the wiring is in ./plan-handler. */
import { lambdaTelemetry } from '../../shared/powertools';
import { createPlanHandler } from './plan-handler';

export const handler = createPlanHandler(lambdaTelemetry());
