/**
 * What the nightly function builds once per container from its environment: the validated
 * configuration, the S3 report store, and the runner policy. The API key is not among them: it
 * is resolved per invocation (resolveApiKey), where Powertools' five-minute cache spares warm
 * invocations a Secrets Manager call and a rotated key is still picked up.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { S3Store } from '../../lib/store/s3-store';
import type { ReportStore } from '../../lib/store/store';
import { type Config, ConfigError, loadConfig } from '../shared/config';
import { s3ClientFromEnv } from '../shared/destination';
import type { RunnerPolicy } from './choose-runner';

/** The nightly job's own variables, beside the shared ones of `loadConfig`. */
const NightlyEnv = z.object({
  STATE_MACHINE_ARN: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(
      z
        .string()
        .regex(/^arn:aws[a-z-]*:states:/, 'expected a state machine ARN')
        .optional(),
    ),
  FANOUT_THRESHOLD_FILES: z
    .string()
    .optional()
    .transform((v) => (v?.trim() ? v.trim() : undefined))
    .pipe(
      z
        .string()
        .regex(/^[1-9]\d*$/, 'expected a whole number of files >= 1')
        .transform(Number)
        .optional(),
    ),
});

/** The container-scoped dependencies of the nightly handler. */
export interface NightlyDeps {
  config: Config & { apiUrl: string };
  store: ReportStore;
  policy: RunnerPolicy;
  /** STATE_MACHINE_ARN: the fan-out workflow; without it there is no step-functions runner. */
  stateMachineArn: string | undefined;
}

/**
 * Reads and checks the environment; throws a `ConfigError` naming the variable. The nightly
 * job has no embedded emulator and no folder output: it needs an API and REPORT_BUCKET.
 */
export function loadNightlyDeps(
  env: NodeJS.ProcessEnv = process.env,
  s3: () => S3Client = () => s3ClientFromEnv(env),
): NightlyDeps {
  const config = loadConfig(env);
  const { apiUrl, reportBucket } = config;
  if (!reportBucket) throw new ConfigError('invalid REPORT_BUCKET: required by the nightly job');
  if (!apiUrl) {
    throw new ConfigError(
      'invalid DEEPSET_API_KEY_SECRET_ARN: required by the nightly job (or DEEPSET_API_KEY when run locally)',
    );
  }
  const nightly = NightlyEnv.safeParse(env);
  if (!nightly.success) {
    const issue = nightly.error.issues[0]!;
    throw new ConfigError(`invalid ${String(issue.path[0])}: ${issue.message}`);
  }
  return {
    config: { ...config, apiUrl },
    store: new S3Store({ client: s3(), bucket: reportBucket, prefix: config.reportPrefix }),
    policy: { fanoutThresholdFiles: nightly.data.FANOUT_THRESHOLD_FILES },
    stateMachineArn: nightly.data.STATE_MACHINE_ARN,
  };
}
