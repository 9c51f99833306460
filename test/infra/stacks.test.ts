/**
 * The split into a data stack and a service stack, and the stages: the service can be
 * destroyed and redeployed without touching a report or a user. Data holds every stateful
 * resource (retained, termination-protected, no function); Service holds none and reaches Data
 * only through the named exports, which all resolve; grants land on Service's roles. `dev` is
 * disposable and says so; `prod` (the default) is not.
 */
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportNames } from '../../infra/report-data';
import { findCycle, type TemplateJson } from './dependency-graph';
import { policyStatements, resourcesOf, type Synthesized, synth } from './synth';

/** Resource types that hold data or guard it: deleting one loses reports, keys or users. */
const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::S3::BucketPolicy',
  'AWS::SecretsManager::Secret',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolGroup',
];

type Resource = { Type: string; DeletionPolicy?: string; UpdateReplacePolicy?: string; Properties?: unknown };
const resources = (json: unknown) =>
  Object.entries((json as { Resources: Record<string, Resource> }).Resources);

/** Every `Fn::ImportValue` name in a template. */
function importedNames(json: unknown): string[] {
  return [...JSON.stringify(json).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]!);
}

const modes = { cognito: {}, oidc: {}, iam: { httpAuth: 'iam' } };
let prod: Synthesized;
let dev: Synthesized;
let iam: Synthesized;
beforeAll(() => {
  prod = synth();
  dev = synth({ stage: 'dev' });
  iam = synth(modes.iam);
});

describe('prod (the default stage): the data stack', () => {
  it('is named after the stage, termination-protected, and runs no function', () => {
    expect(prod.data.stackName).toBe('IngestionReports-prod-Data');
    expect(prod.data.terminationProtection).toBe(true);
    const types = resources(prod.dataTemplate.toJSON()).map(([, r]) => r.Type);
    expect(types.filter((t) => t.startsWith('AWS::Lambda::') || t.startsWith('Custom::'))).toEqual([]);
  });

  it('holds the buckets, the secrets and the users, every one retained on delete and on replacement', () => {
    const stateful = resources(prod.dataTemplate.toJSON()).filter(([, r]) => STATEFUL_TYPES.includes(r.Type));
    expect(stateful.map(([, r]) => r.Type).sort()).toEqual([
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolGroup',
      'AWS::Cognito::UserPoolGroup',
      'AWS::S3::Bucket',
      'AWS::S3::Bucket',
      'AWS::S3::BucketPolicy',
      'AWS::S3::BucketPolicy',
      'AWS::SecretsManager::Secret',
      'AWS::SecretsManager::Secret',
    ]);
    for (const [id, r] of stateful) {
      expect([r.DeletionPolicy, r.UpdateReplacePolicy], id).toEqual(['Retain', 'Retain']);
    }
    const [, pool] = stateful.find(([, r]) => r.Type === 'AWS::Cognito::UserPool')!;
    expect((pool.Properties as { DeletionProtection: string }).DeletionProtection).toBe('ACTIVE');
    expect(prod.dataTemplate.toJSON().Outputs.OnStackDeletion.Value).toBe('retained');
  });

  it('exports exactly the interface, under names fixed by the stack name', () => {
    const outputs = Object.values(prod.dataTemplate.toJSON().Outputs) as Array<{ Export?: { Name: string } }>;
    const names = exportNames('IngestionReports-prod-Data');
    expect(outputs.flatMap((o) => (o.Export ? [o.Export.Name] : [])).sort()).toEqual(
      Object.values(names).sort(),
    );
    expect(importedNames(prod.dataTemplate.toJSON())).toEqual([]);
  });
});

describe('prod: the service stack', () => {
  it('depends on the data stack and holds nothing stateful but a copy of the Cognito client secret', () => {
    expect(prod.service.stackName).toBe('IngestionReports-prod-Service');
    expect(prod.service.dependencies).toEqual([prod.data]);
    const stateful = resources(prod.serviceTemplate.toJSON()).filter(
      ([, r]) => STATEFUL_TYPES.includes(r.Type) || r.Type === 'AWS::Cognito::UserPoolDomain',
    );
    expect(stateful.map(([id, r]) => [id.replace(/[A-F0-9]{8}$/, ''), r.Type])).toEqual([
      ['SignInCognitoAppClientSecret', 'AWS::SecretsManager::Secret'],
    ]);
    // Cognito generates that secret; the service copies it again whenever it makes a new client.
    const [, copy] = stateful[0]!;
    expect(copy.Properties).toMatchObject({
      SecretString: { 'Fn::GetAtt': [expect.stringMatching(/ReadSecret/), 'UserPoolClient.ClientSecret'] },
    });
    expect(iam.serviceTemplate.findResources('AWS::SecretsManager::Secret')).toEqual({});
  });

  it('imports only what the data stack exports, and exports nothing itself', () => {
    for (const s of [prod, iam]) {
      const exported = Object.values(
        s.dataTemplate.toJSON().Outputs as Record<string, { Export?: { Name: string } }>,
      )
        .flatMap((o) => (o.Export ? [o.Export.Name] : []))
        .sort();
      expect([...new Set(importedNames(s.serviceTemplate.toJSON()))].sort()).toEqual(exported);
      const serviceOutputs = Object.values(s.serviceTemplate.toJSON().Outputs) as Array<{ Export?: unknown }>;
      expect(serviceOutputs.filter((o) => o.Export)).toEqual([]);
    }
    expect(exportNames('IngestionReports-prod-Data').userPoolArn).toBe(
      'IngestionReports-prod-Data:UserPoolArn',
    );
    expect(importedNames(iam.serviceTemplate.toJSON())).not.toContain(
      'IngestionReports-prod-Data:UserPoolArn',
    );
  });

  it('forms no dependency cycle with the data stack, in any stage or sign-in mode', () => {
    for (const s of [prod, dev, iam]) expect(findCycle(s.template.toJSON() as TemplateJson)).toBeUndefined();
  });

  it('grants on its own roles only: the data stack has no IAM policy and no statement naming a service role', () => {
    expect(prod.dataTemplate.findResources('AWS::IAM::Policy')).toEqual({});
    expect(prod.dataTemplate.findResources('AWS::IAM::Role')).toEqual({});
    const dataJson = JSON.stringify(prod.dataTemplate.toJSON());
    for (const id of Object.keys(resourcesOf(prod.serviceTemplate, 'AWS::IAM::Role'))) {
      expect(dataJson).not.toContain(id);
    }
    const s3Grants = policyStatements(prod.serviceTemplate).filter((st) =>
      JSON.stringify(st.Action).includes('s3:'),
    );
    expect(s3Grants.length).toBeGreaterThanOrEqual(6);
    for (const grant of s3Grants) {
      expect(JSON.stringify(grant.Resource)).toContain(
        '"Fn::ImportValue":"IngestionReports-prod-Data:ReportBucketArn"',
      );
    }
  });
});

describe('dev: a disposable stage beside prod', () => {
  it('has its own stack names, so both stages deploy side by side', () => {
    expect([dev.data.stackName, dev.service.stackName]).toEqual([
      'IngestionReports-dev-Data',
      'IngestionReports-dev-Service',
    ]);
    expect(
      importedNames(dev.serviceTemplate.toJSON()).every((n) => n.startsWith('IngestionReports-dev-Data:')),
    ).toBe(true);
    expect(onlyDomain(dev)).toEqual({
      'Fn::Join': ['', ['ingestion-reports-dev-', { Ref: 'AWS::AccountId' }]],
    });
  });

  it('deletes its buckets (emptied first), secrets and users with the stack, and says so', () => {
    expect(dev.data.terminationProtection).toBe(false);
    const json = dev.dataTemplate.toJSON();
    for (const [id, r] of resources(json).filter(([, r]) => STATEFUL_TYPES.includes(r.Type))) {
      expect(r.DeletionPolicy, id).toBe('Delete');
    }
    const autoDelete = resources(json).filter(([, r]) => r.Type === 'Custom::S3AutoDeleteObjects');
    expect(autoDelete).toHaveLength(2);
    expect(json.Outputs.OnStackDeletion).toEqual({
      Value: 'deleted',
      Description: expect.stringContaining(
        'deleting this stack deletes the reports, the secrets and the users',
      ),
    });
    expect(json.Description).toContain('DISPOSABLE');
  });

  it('stays cdk-nag clean on both stacks, the auto-delete function included', () => {
    expect(new AwsSolutionsChecks(dev.app).validateScope(dev.app).violations).toEqual([]);
  });

  it('takes its presets: short retention, less reserved concurrency, its own schedule', () => {
    const rules = dev.template.findResources('AWS::S3::Bucket');
    expect(JSON.stringify(rules)).toContain('"ExpirationInDays":7');
    const fns = Object.values(resourcesOf(dev.template, 'AWS::Lambda::Function')).map((f) => f.Properties);
    expect(fns.map((f) => f.ReservedConcurrentExecutions)).toContain(2);
    expect(fns.map((f) => f.ReservedConcurrentExecutions)).not.toContain(10);
    const [schedule] = Object.values(resourcesOf(dev.template, 'AWS::Scheduler::Schedule'));
    expect(schedule!.Properties.ScheduleExpression).toBe('cron(0 7 * * ? *)');
  });

  it('lets -c and the stages context override a preset, in that order', () => {
    const overridden = synth({
      stage: 'dev',
      runRetentionDays: '14',
      stages: { dev: { runRetentionDays: 30, alarmEmail: 'dev-team@example.com' } },
    });
    expect(JSON.stringify(overridden.template.findResources('AWS::S3::Bucket'))).toContain(
      '"ExpirationInDays":14',
    );
    overridden.template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'dev-team@example.com' });
  });
});

function onlyDomain(s: Synthesized): unknown {
  const [domain] = Object.values(resourcesOf(s.template, 'AWS::Cognito::UserPoolDomain'));
  return domain!.Properties.Domain;
}
