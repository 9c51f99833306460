/**
 * The stateful stack: what must outlive any deployment of the service. The report bucket and
 * its access-log bucket, the deepset API key secret, and the sign-in's stored parts (the cookie
 * key; the user pool and its groups, or the provider's client secret). No function runs here.
 *
 * Outside a disposable stage every one of them is retained when the stack is deleted, and the
 * stack has termination protection. The service stack uses them only through the exports of
 * report-data.ts.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config';
import { acknowledge } from './nag';
import { ReportBucket } from './report-bucket';
import { exportReportData, type ReportData, type ReportDataExports } from './report-data';
import { SignInState } from './sign-in-state';
import type { StageSettings } from './stages';

/** Properties of the data stack. */
export interface DataStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly stage: StageSettings;
}

/** The reports, the secrets and the users of one stage. */
export class DataStack extends Stack {
  readonly data: ReportData;
  /** The values the service stack imports (`Fn::ImportValue` tokens). */
  readonly exports: ReportDataExports;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    const { config, stage } = props;
    super(scope, id, { ...props, terminationProtection: !stage.disposable });
    const reports = new ReportBucket(this, 'Reports', {
      prefix: config.reportPrefix,
      runRetentionDays: config.runRetentionDays,
      accessLogRetentionDays: config.logRetentionDays,
      disposable: stage.disposable,
    });
    const signIn = new SignInState(this, 'SignIn', {
      auth: config.httpAuth,
      stage: stage.name,
      disposable: stage.disposable,
    });
    this.data = {
      reportBucket: reports.bucket,
      apiKey: apiKeySecret(this, config.apiKeySecretArn, stage.disposable),
      signIn: signIn.resources,
    };
    this.exports = exportReportData(this.data);
    new CfnOutput(this, 'ReportBucketName', { value: reports.bucket.bucketName });
    new CfnOutput(this, 'ApiKeySecretArn', { value: this.data.apiKey.secretArn });
    new CfnOutput(this, 'OnStackDeletion', {
      value: stage.disposable ? 'deleted' : 'retained',
      description: stage.disposable
        ? `Disposable stage ${stage.name}: deleting this stack deletes the reports, the secrets and the users`
        : 'The buckets, secrets and users are kept when this stack is deleted',
    });
  }
}

/** Imports the secret when its ARN is configured, otherwise creates one with a placeholder value. */
function apiKeySecret(scope: Construct, arn: string | undefined, disposable: boolean): ISecret {
  if (arn) return Secret.fromSecretCompleteArn(scope, 'ApiKey', arn);
  const secret = new Secret(scope, 'ApiKey', {
    description: 'deepset API key for ingestion reports. Set it: aws secretsmanager put-secret-value.',
    // Generated placeholder: the template never holds the key; the operator puts the real one.
    removalPolicy: disposable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
  });
  acknowledge(secret, {
    'AwsSolutions-SMG4': 'A deepset API key is issued in the deepset UI; AWS cannot rotate it.',
  });
  return secret;
}
