/**
 * The interface between the two stacks. The data stack exports a few values under fixed export
 * names (`<data stack>:ReportBucketArn` and so on); the service stack imports them and wraps them
 * as read-only references (`ReportData`). Explicit names instead of CDK's automatic exports: the
 * interface is this file, readable and testable, and no change inside the service can rename or
 * drop an export the deployed service still imports (CloudFormation refuses that update).
 *
 * Everything the service does with these (grants, environment) lands on the service's own
 * roles and resources: the data stack never refers to the service, so there is no cycle.
 */
import { Aws, CfnOutput, Fn, Stack } from 'aws-cdk-lib';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { HttpAuthConfig } from './config';
import type { SignInResources } from './sign-in-state';

/** What the service stack uses of the data stack, as constructs. */
export interface ReportData {
  /** Reports are written and read under the configured prefix only. */
  readonly reportBucket: IBucket;
  /** The deepset API key; the functions get its ARN, never its value. */
  readonly apiKey: ISecret;
  readonly signIn: SignInResources;
}

/** The data stack's exports: names (or, imported, `Fn::ImportValue` tokens) per value. */
export interface ReportDataExports {
  readonly reportBucketName: string;
  readonly reportBucketArn: string;
  readonly apiKeySecretArn: string;
  /** cognito and oidc. */
  readonly sessionKeySecretArn?: string;
  /** cognito only. */
  readonly userPoolId?: string;
  /** cognito only. */
  readonly userPoolArn?: string;
}

/** The export name of each value, for the data stack named `dataStackName`. */
export function exportNames(dataStackName: string): Required<ReportDataExports> {
  const name = (value: string) => `${dataStackName}:${value}`;
  return {
    reportBucketName: name('ReportBucketName'),
    reportBucketArn: name('ReportBucketArn'),
    apiKeySecretArn: name('ApiKeySecretArn'),
    sessionKeySecretArn: name('SessionKeySecretArn'),
    userPoolId: name('UserPoolId'),
    userPoolArn: name('UserPoolArn'),
  };
}

/** Exports `data` from its (data) stack; returns the tokens that import each value elsewhere. */
export function exportReportData(data: ReportData): ReportDataExports {
  const stack = Stack.of(data.reportBucket);
  const names = exportNames(stack.stackName);
  const values: ReportDataExports = {
    reportBucketName: data.reportBucket.bucketName,
    reportBucketArn: data.reportBucket.bucketArn,
    apiKeySecretArn: data.apiKey.secretArn,
    ...(data.signIn.mode !== 'iam' && { sessionKeySecretArn: data.signIn.sessionKey.secretArn }),
    ...(data.signIn.mode === 'cognito' && {
      userPoolId: data.signIn.userPool.userPoolId,
      userPoolArn: data.signIn.userPool.userPoolArn,
    }),
  };
  const imports: Record<string, string> = {};
  for (const [key, value] of Object.entries(values) as [keyof ReportDataExports, string][]) {
    const exportName = names[key];
    new CfnOutput(stack, `Export${key[0]!.toUpperCase()}${key.slice(1)}`, { value, exportName });
    imports[key] = Fn.importValue(exportName);
  }
  return imports as unknown as ReportDataExports;
}

/**
 * The data stack's resources in `scope` (the service stack), from the imported values. `auth` is
 * the same sign-in configuration the data stack was built with (its literal parts: issuer,
 * client ID, groups claim, an OIDC client secret's ARN).
 */
export function importReportData(
  scope: Construct,
  from: ReportDataExports,
  auth: HttpAuthConfig,
): ReportData {
  const reportBucket = Bucket.fromBucketAttributes(scope, 'ReportBucket', {
    bucketName: from.reportBucketName,
    bucketArn: from.reportBucketArn,
  });
  const apiKey = Secret.fromSecretCompleteArn(scope, 'ApiKey', from.apiKeySecretArn);
  return { reportBucket, apiKey, signIn: importSignIn(scope, from, auth) };
}

function importSignIn(scope: Construct, from: ReportDataExports, auth: HttpAuthConfig): SignInResources {
  if (auth.mode === 'iam') return { mode: 'iam' };
  const sessionKey = Secret.fromSecretCompleteArn(scope, 'SessionKey', required(from.sessionKeySecretArn));
  if (auth.mode === 'oidc') {
    const clientSecret = Secret.fromSecretCompleteArn(scope, 'ClientSecret', auth.clientSecretArn);
    const { issuer, clientId, groupsClaim } = auth;
    return { mode: 'oidc', issuer, clientId, clientSecret, groupsClaim, sessionKey };
  }
  const userPool = { userPoolId: required(from.userPoolId), userPoolArn: required(from.userPoolArn) };
  // The stacks of a stage share account and region.
  const issuer = `https://cognito-idp.${Aws.REGION}.${Aws.URL_SUFFIX}/${userPool.userPoolId}`;
  return { mode: 'cognito', userPool, issuer, sessionKey };
}

function required(value: string | undefined): string {
  if (value === undefined) throw new Error('the data stack was built for another sign-in mode');
  return value;
}
