/**
 * What the end-to-end test deploys beside the stage under test, in a stack of its own:
 * - the API emulator as a Lambda function behind an open Function URL (its data is generated,
 *   not secret; any bearer key is accepted), which the stage's functions call as their API;
 * - a reference function: the same nightly code with no workflow and no threshold, so it reports
 *   every workspace in one process, under its own key prefix (`reference/`);
 * - the probe the assertions invoke to look into the report bucket (probe-lambda.ts).
 * It reaches the data stack through the same exports as the service stack.
 */
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { FunctionUrlAuthType, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../../infra/config';
import { acknowledge, resourceWildcard } from '../../infra/nag';
import { importReportData, type ReportDataExports } from '../../infra/report-data';
import { ReportFunction } from '../../infra/report-function';

/** The emulator's workspaces: one far below the fan-out threshold, one far above it. */
export const EMULATED_WORKSPACES = {
  /** 8 sessions, 726 files: one process. */
  small: { sessions: 8, maxFiles: 300 },
  /** 160 sessions, 228,399 files (about 23 MB of files.csv): fan-out in 4 batches of 60,000. */
  large: { sessions: 160, maxFiles: 3000 },
} as const;

/** The key prefix of the reference (single-process) runs. */
export const REFERENCE_PREFIX = 'reference/';

/** Properties of the fixture stack. */
export interface IntegFixtureStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly data: ReportDataExports;
}

/** The emulator, the reference function and the probe. */
export class IntegFixtureStack extends Stack {
  /** The emulator's API base URL, as DEEPSET_API_URL wants it (ends in /api/v1). */
  readonly apiUrl: string;
  readonly reference: IFunction;
  readonly probe: IFunction;

  constructor(scope: Construct, id: string, props: IntegFixtureStackProps) {
    super(scope, id, props);
    const data = importReportData(new Construct(this, 'Data'), props.data, props.config.httpAuth);
    const emulator = fixtureFunction(this, 'Emulator', 'emulator/lambda.ts', {
      EMULATOR_WORKSPACES: Object.entries(EMULATED_WORKSPACES)
        .map(([name, size]) => `${name}:${size.sessions}:${size.maxFiles}`)
        .join(','),
      // Pinned: every container, on any day, serves the same bytes.
      EMULATOR_NOW: '2026-01-01T00:00:00.000Z',
    });
    const url = emulator.addFunctionUrl({ authType: FunctionUrlAuthType.NONE });
    this.apiUrl = `${url.url}api/v1`;

    this.reference = fixtureFunction(this, 'Reference', 'functions/nightly/handler.ts', {
      REPORT_BUCKET: data.reportBucket.bucketName,
      REPORT_PREFIX: REFERENCE_PREFIX,
      DEEPSET_API_URL: this.apiUrl,
      DEEPSET_API_KEY_SECRET_ARN: data.apiKey.secretArn,
      REPORT_CONCURRENCY: String(props.config.apiConcurrency),
    });
    data.reportBucket.grantReadWrite(this.reference, `${REFERENCE_PREFIX}*`);
    data.apiKey.grantRead(this.reference);

    this.probe = fixtureFunction(this, 'Probe', 'test/aws/probe-lambda.ts', {
      REPORT_BUCKET: data.reportBucket.bucketName,
    });
    data.reportBucket.grantRead(this.probe);
    const bucketArn = data.reportBucket.bucketArn;
    acknowledge(this, {
      'AwsSolutions-IAM5[Action::s3:GetObject*]': 'CDK bucket grant of the test bucket, objects only.',
      'AwsSolutions-IAM5[Action::s3:GetBucket*]': 'CDK bucket grant of the one test bucket.',
      'AwsSolutions-IAM5[Action::s3:List*]': 'The probe and the reference list runs in the test bucket.',
      'AwsSolutions-IAM5[Action::s3:DeleteObject*]': 'CDK bucket grant, objects under reference/ only.',
      'AwsSolutions-IAM5[Action::s3:Abort*]': 'Aborting a failed multipart upload under reference/.',
      [resourceWildcard(this, bucketArn, `/${REFERENCE_PREFIX}*`)]:
        'The reference run writes its runs anywhere under reference/.',
      [resourceWildcard(this, bucketArn, '/*')]:
        'The probe reads the runs of both prefixes of the test bucket.',
    });
  }
}

function fixtureFunction(scope: Construct, id: string, entry: string, environment: Record<string, string>) {
  return new ReportFunction(scope, id, {
    entry,
    description: `the end-to-end test's ${id.toLowerCase()}`,
    serviceName: `integ-${id.toLowerCase()}`,
    timeout: Duration.minutes(15),
    memorySize: 2048,
    reservedConcurrency: undefined,
    logRetention: RetentionDays.ONE_WEEK,
    environment,
  }).fn;
}
