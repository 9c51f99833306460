/**
 * Lambda entry of the run function, invoked asynchronously by the HTTP function with
 * `{"workspace", "mode", "run_id"}`: one report run, published to REPORT_BUCKET. The logic is
 * in ./run-handler, the wiring in ./run-deps.
 */
import { lambdaTelemetry, withLambdaContext } from '../shared/powertools';
import { runDepsFromEnv } from './run-deps';
import { createRunHandler } from './run-handler';

const telemetry = lambdaTelemetry('ingestion-reports-run');

export const handler = withLambdaContext(telemetry, createRunHandler(runDepsFromEnv(telemetry)));
