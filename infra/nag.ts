/**
 * cdk-nag (v3) acknowledgements. Each finding is acknowledged on the narrowest construct that
 * causes it, one by one (v3 has no "all findings of this rule"), each with the reason it is
 * acceptable here.
 */
import { CfnResource, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Finding ID (e.g. `AwsSolutions-IAM5[Resource::*]`) to the reason it is acceptable. */
export type Acknowledgements = Record<string, string>;

/** Acknowledges each finding on `scope` and everything below it. */
export function acknowledge(scope: IConstruct, findings: Acknowledgements): void {
  for (const [id, reason] of Object.entries(findings)) {
    Validations.of(scope).acknowledge({ id, reason });
  }
}

/**
 * The IAM5 finding ID cdk-nag reports for a resource ARN `<resource's ARN><suffix>`, e.g.
 * `arnWildcard(bucket, '/reports/*')` or `arnWildcard(fn, ':*')` (every version of a function).
 */
export function arnWildcard(resource: IConstruct, suffix: string): string {
  return `AwsSolutions-IAM5[Resource::<${logicalId(resource)}.Arn>${suffix}]`;
}

/**
 * The IAM5 finding ID for `<arn><suffix>` as cdk-nag spells it in `scope`'s stack: a resource of
 * that stack as `<LogicalId.Arn>`, an imported value by its export name, a literal as itself.
 *
 * @example resourceWildcard(role, bucket.bucketArn, '/reports/*')
 */
export function resourceWildcard(scope: IConstruct, arn: string, suffix: string): string {
  const resolved: unknown = Stack.of(scope).resolve(arn);
  return `AwsSolutions-IAM5[Resource::${nagText(resolved)}${suffix}]`;
}

function nagText(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as { 'Fn::ImportValue'?: string; 'Fn::GetAtt'?: [string, string] };
  if (typeof intrinsic['Fn::ImportValue'] === 'string') return intrinsic['Fn::ImportValue'];
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  throw new Error(`cdk-nag finding for an ARN of unexpected shape: ${JSON.stringify(value)}`);
}

/** The CloudFormation logical ID of an L1 resource or of an L2's default child. */
export function logicalId(resource: IConstruct): string {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`Cannot name the CloudFormation resource of ${resource.node.path}`);
  }
  return Stack.of(cfn).getLogicalId(cfn);
}
