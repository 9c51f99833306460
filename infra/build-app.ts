/**
 * Builds the CDK app: reads the stage and validates the context, creates the stage's data and
 * service stacks, and registers cdk-nag (AwsSolutions) so every synth, local or in CI, fails on
 * an unacknowledged finding.
 */
import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { type InfraConfig, parseInfraConfig } from './config';
import { DataStack } from './data-stack';
import { ServiceStack } from './service-stack';
import { type StageSettings, stackNames, stageSettings, stageValue } from './stages';

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

/** One stage's two stacks. */
export interface StageStacks {
  data: DataStack;
  service: ServiceStack;
}

/**
 * Creates the app and the stacks of the stage `-c stage` names (default prod). `props.context`
 * overrides cdk.json, as `-c` does. Throws `InfraConfigError` for invalid context.
 *
 * @example const { app, service } = buildApp({ context: { stage: 'dev', workspaces: 'acme' } });
 */
export function buildApp(props: AppProps = {}): { app: App; config: InfraConfig } & StageStacks {
  const app = new App({ ...props, context: { ...FEATURE_FLAGS, ...props.context } });
  const stage = stageSettings(app.node.tryGetContext('stage'));
  const stagesContext = app.node.tryGetContext('stages');
  const config = parseInfraConfig(
    (key) => app.node.tryGetContext(key) ?? stageValue(stage.name, key, stagesContext),
  );
  const stacks = addStageStacks(app, stage, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, config, ...stacks };
}

/**
 * The data stack, then the service stack on its resources. Stack names carry the stage, so
 * stages deploy side by side; `config` may carry tokens (the end-to-end test's emulator URL).
 */
export function addStageStacks(scope: Construct, stage: StageSettings, config: InfraConfig): StageStacks {
  const names = stackNames(stage.name);
  const disposable = stage.disposable ? ', DISPOSABLE: deleting it deletes the reports and users' : '';
  const data = new DataStack(scope, names.data, {
    stackName: names.data,
    description: `Ingestion reports (${stage.name}): report bucket, secrets and users${disposable}`,
    config,
    stage,
  });
  const service = new ServiceStack(scope, names.service, {
    stackName: names.service,
    description: `Ingestion reports (${stage.name}): functions, schedule, workflow and alarms (stateless)`,
    config,
    data: data.exports,
  });
  // Fn::ImportValue adds no dependency by itself: deploy the data stack first.
  service.addStackDependency(data);
  return { data, service };
}
