/**
 * Lambda entry of the nightly job (EventBridge Scheduler sends `{"workspaces": [...]}`). The
 * wiring is in ./nightly-handler; its container's configuration, S3 store and runner policy
 * live across warm invocations.
 */
import { lambdaTelemetry } from '../shared/powertools';
import { createNightlyHandler } from './nightly-handler';
import { NIGHTLY_SERVICE } from './nightly-metrics';

export const handler = createNightlyHandler(lambdaTelemetry(NIGHTLY_SERVICE));
