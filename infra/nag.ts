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

/** The CloudFormation logical ID of an L1 resource or of an L2's default child. */
export function logicalId(resource: IConstruct): string {
  const cfn = CfnResource.isCfnResource(resource) ? resource : resource.node.defaultChild;
  if (!cfn || !CfnResource.isCfnResource(cfn)) {
    throw new Error(`Cannot name the CloudFormation resource of ${resource.node.path}`);
  }
  return Stack.of(cfn).getLogicalId(cfn);
}
