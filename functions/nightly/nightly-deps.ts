/**
 * What the nightly function builds once per container from its environment: the validated
 * configuration, the S3 report store, and the runner policy. The API key is not among them: it
 * is resolved per invocation (resolveApiKey), where Powertools' five-minute cache spares warm
 * invocations a Secrets Manager call and a rotated key is still picked up.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { parseEnv } from '../shared/config';
import { type LambdaReportDeps, loadLambdaReportDeps } from '../shared/lambda-report-deps';
import { s3ClientFromEnv } from '../shared/s3-client';
import { type RunnerPolicy, WorkflowEnv } from './choose-runner';

/** The container-scoped dependencies of the nightly handler. */
export interface NightlyDeps extends LambdaReportDeps {
  policy: RunnerPolicy;
  /** STATE_MACHINE_ARN: the fan-out workflow; without it there is no step-functions runner. */
  stateMachineArn: string | undefined;
}

/** Reads and checks the environment; throws a `ConfigError` naming the variable. */
export function loadNightlyDeps(
  env: NodeJS.ProcessEnv = process.env,
  s3: () => S3Client = () => s3ClientFromEnv(env),
): NightlyDeps {
  const deps = loadLambdaReportDeps('the nightly job', env, s3);
  const nightly = parseEnv(WorkflowEnv, env);
  return {
    ...deps,
    policy: { fanoutThresholdFiles: nightly.FANOUT_THRESHOLD_FILES },
    stateMachineArn: nightly.STATE_MACHINE_ARN,
  };
}
