/**
 * Builds the CDK app: reads and validates the context, creates the stack, and registers cdk-nag
 * (AwsSolutions) so every synth, local or in CI, fails on an unacknowledged finding.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parseInfraConfig } from './config';
import { IngestionReportsStack } from './ingestion-reports-stack';

/** The stack's construct ID (and CloudFormation stack name unless overridden). */
export const STACK_ID = 'IngestionReports';

/**
 * CDK feature flags this app relies on; cdk.json lists them too. Defaults here so tests, which
 * do not read cdk.json, build the same template.
 */
export const FEATURE_FLAGS = {
  // Grant S3 log delivery through the bucket policy, not the legacy LogDeliveryWrite ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  // Fail synth, not only warn, when the template breaks a CloudFormation resource schema.
  '@aws-cdk/core:validateAgainstDefaultRules': true,
} as const;

/**
 * Creates the app and its one stack. `props.context` overrides cdk.json, as `-c` does.
 * Throws `InfraConfigError` for invalid context.
 *
 * @example const { app, stack } = buildApp({ context: { workspaces: 'acme' } });
 */
export function buildApp(props: AppProps = {}): { app: App; stack: IngestionReportsStack } {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const config = parseInfraConfig((key) => app.node.tryGetContext(key));
  const stack = new IngestionReportsStack(app, STACK_ID, {
    description: 'Ingestion reports for deepset AI Platform workspaces (nightly + on demand)',
    config,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
