/**
 * Lambda entry of the nightly job (EventBridge Scheduler sends `{"workspaces": [...]}`): a full
 * report per workspace, structured logs and EMF metrics, and a failed invocation when any
 * workspace failed. The logic is in `run-nightly.ts`; the wiring in `nightly-handler.ts`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createNightlyHandler } from './nightly-handler';
import { METRICS_NAMESPACE, NIGHTLY_SERVICE } from './nightly-metrics';

const logger = new Logger({ serviceName: NIGHTLY_SERVICE });
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE });

/** Built once per container: configuration, S3 store and runner policy live across warm invocations. */
export const handler = createNightlyHandler({ logger, metrics });
