/**
 * What the fan-out functions build once per container from their environment (the stack sets
 * the same variables on all three): the configuration, the S3 report store, the batch limits.
 * The API key is resolved per invocation (resolveApiKey's cache spares warm ones the call).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { z } from 'zod';
import type { UploadSessionsClient } from '../../lib/api';
import type { BatchLimits } from '../../lib/fanout/manifest';
import type { SecretReader } from '../shared/api-key';
import { optionalWholeNumber, parseEnv } from '../shared/config';
import { apiClientFactory, type LambdaReportDeps, loadLambdaReportDeps } from '../shared/lambda-report-deps';
import { withLambdaContext } from '../shared/powertools';
import { s3ClientFromEnv } from '../shared/s3-client';

/** FANOUT_BATCH_FILES: files per batch (the plan's target); default the library's 50,000. */
const FanoutEnv = z.object({ FANOUT_BATCH_FILES: optionalWholeNumber });

/** How a fan-out handler is built: tests pass their env and secret reader. */
export interface FanoutHandlerOptions {
  /** Default: process.env, read on the first invocation. */
  env?: NodeJS.ProcessEnv;
  /** Default: Secrets Manager through Powertools Parameters (cached 5 minutes). */
  readSecret?: SecretReader;
  /** The function's logger (and metrics), from ../shared/powertools; tests may leave it out. */
  logger?: Logger;
  metrics?: Metrics;
}

/** A step's handler: the event is checked inside, so it is `unknown` here. */
export type LambdaStep<Result> = (event: unknown, context?: Context) => Promise<Result>;

/** The container-scoped dependencies of the plan, worker and finalize functions. */
export interface FanoutDeps extends LambdaReportDeps {
  limits: Partial<BatchLimits>;
}

/** Reads and checks the environment; throws a `ConfigError` naming the variable. */
export function loadFanoutDeps(
  env: NodeJS.ProcessEnv = process.env,
  s3: () => S3Client = () => s3ClientFromEnv(env),
): FanoutDeps {
  const deps = loadLambdaReportDeps('the fan-out functions', env, s3);
  const maxFiles = parseEnv(FanoutEnv, env).FANOUT_BATCH_FILES;
  return { ...deps, limits: maxFiles === undefined ? {} : { maxFiles } };
}

/**
 * A step's handler whose container deps are loaded on its first invocation (a bad variable
 * fails that invocation, naming it) and kept while the container lives.
 */
export function fanoutStep<Result>(
  options: FanoutHandlerOptions,
  step: (deps: FanoutDeps, event: unknown) => Promise<Result>,
): LambdaStep<Result> {
  let deps: FanoutDeps | undefined;
  return withLambdaContext(options, async (event: unknown) => {
    deps ??= loadFanoutDeps(options.env);
    return step(deps, event);
  });
}

/** A client for one invocation: its stats are that step's requests. */
export function clientFor(deps: FanoutDeps, readSecret?: SecretReader): Promise<UploadSessionsClient> {
  return apiClientFactory(deps.config, readSecret)();
}
