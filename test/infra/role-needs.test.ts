/**
 * Each role grants what its code needs, on the right resources: the other template tests check
 * that nothing is too broad, these that nothing is missing (a missing grant would only show as
 * AccessDenied in AWS). A function's needs come from its source (sdk-calls.ts: the AWS calls its
 * entry reaches); the state machine's from its definition (the Lambda tasks, the ItemReader).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Need, needsOf } from './sdk-calls';
import { asList, onlyResource, policyStatements, resourcesOf, type Synthesized, synth } from './synth';

/** Each function's entry, by its service name (as the stack builds them). */
const ENTRY_OF_SERVICE: Record<string, string> = {
  http: 'functions/http/handler.ts',
  nightly: 'functions/nightly/handler.ts',
  run: 'functions/run/handler.ts',
  'fanout-plan': 'functions/fanout/plan/handler.ts',
  'fanout-worker': 'functions/fanout/worker/handler.ts',
  'fanout-finalize': 'functions/fanout/finalize/handler.ts',
};

/** The AWS calls the code of every function makes through the report store and the API key. */
const STORE_AND_SECRET_CALLS = [
  'AbortMultipartUploadCommand',
  'CompleteMultipartUploadCommand',
  'CreateMultipartUploadCommand',
  'DeleteObjectsCommand',
  'GetObjectCommand',
  'HeadObjectCommand',
  'PutObjectCommand',
  'Upload',
  'UploadPartCommand',
  'UploadPartCopyCommand',
  'getSecret',
  'getSignedUrl',
  'paginateListObjectsV2',
];

type Statement = Record<string, unknown>;
type Fn = { Role: unknown; Environment: { Variables: Record<string, unknown> } };

let s: Synthesized;
let functions: Map<string, Fn>;

beforeAll(() => {
  s = synth();
  const all = Object.values(resourcesOf(s.template, 'AWS::Lambda::Function')).map((r) => r.Properties as Fn);
  // Deploy-time custom resources (the sign-in client's redirect URLs and secret) run no report code.
  const services = all.filter((fn) => fn.Environment?.Variables?.POWERTOOLS_SERVICE_NAME !== undefined);
  functions = new Map(services.map((fn) => [String(fn.Environment.Variables.POWERTOOLS_SERVICE_NAME), fn]));
});

/** IAM's action match: case-insensitive, `*` and `?` wildcards. */
function actionMatches(pattern: string, action: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(action);
}

/** The statements of every policy attached to the role `roleArn` (a GetAtt of the role). */
function statementsOfRole(roleArn: unknown): Statement[] {
  const roleId = (roleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  const policies = resourcesOf(s.template, 'AWS::IAM::Policy');
  const attached = Object.entries(policies)
    .filter(([, p]) =>
      (p.Properties.Roles as unknown[]).some((r) => JSON.stringify(r) === JSON.stringify({ Ref: roleId })),
    )
    .map(([id]) => id);
  return policyStatements(s.template).filter((st) => attached.includes(st.policy));
}

/** The template value a need's resource has, taken from what the function itself is told. */
function resourceFor(need: Need, variables: Record<string, unknown>): unknown {
  const bucketId = (variables.REPORT_BUCKET as { Ref: string }).Ref;
  const bucketArn = { 'Fn::GetAtt': [bucketId, 'Arn'] };
  switch (need.on) {
    case 'report-bucket':
      return bucketArn;
    case 'report-objects':
      return { 'Fn::Join': ['', [bucketArn, `/${variables.REPORT_PREFIX}*`]] };
    case 'state-machine':
      return variables.STATE_MACHINE_ARN;
    case 'api-key-secret':
      return variables.DEEPSET_API_KEY_SECRET_ARN;
    case 'run-function':
      return { 'Fn::GetAtt': [(variables.RUN_FUNCTION_NAME as { Ref: string }).Ref, 'Arn'] };
    case 'alerts-topic':
      return variables.ALERTS_TOPIC_ARN;
  }
}

/** The needs no Allow statement grants: `action resource` lines, empty when all are granted. */
function missing(statements: Statement[], needs: Array<{ action: string; resource: unknown }>): string[] {
  const grants = (st: Statement, need: { action: string; resource: unknown }) =>
    st.Effect === 'Allow' &&
    asList(st.Action as string | string[]).some((pattern) => actionMatches(pattern, need.action)) &&
    asList(st.Resource).some((r) => r === '*' || JSON.stringify(r) === JSON.stringify(need.resource));
  return needs
    .filter((need) => !statements.some((st) => grants(st, need)))
    .map((need) => `${need.action} ${JSON.stringify(need.resource)}`);
}

/** A function's needs with their template resources. */
function needsOfFunction(service: string) {
  const fn = functions.get(service)!;
  return needsOf(ENTRY_OF_SERVICE[service]!).map((need) => ({
    action: need.action,
    resource: resourceFor(need, fn.Environment.Variables),
  }));
}

describe('what each function’s code calls', () => {
  it('covers every function in the stack', () => {
    expect([...functions.keys()].sort()).toEqual(Object.keys(ENTRY_OF_SERVICE).sort());
  });

  it('is the report store and the API key for all, starting the workflow for the nightly and run ones, alerts for those that run reports', async () => {
    const { awsCallsOf } = await import('./sdk-calls');
    for (const [service, entry] of Object.entries(ENTRY_OF_SERVICE)) {
      const calls = [...awsCallsOf(entry).keys()].sort();
      const extra =
        {
          nightly: ['StartExecutionCommand', 'PublishCommand'],
          http: ['InvokeCommand'],
          run: ['StartExecutionCommand', 'PublishCommand'],
          'fanout-finalize': ['PublishCommand'],
        }[service] ?? [];
      expect(calls, service).toEqual([...STORE_AND_SECRET_CALLS, ...extra].sort());
    }
  });
});

describe('each function’s role grants what its code calls', () => {
  for (const service of Object.keys(ENTRY_OF_SERVICE)) {
    it(service, () => {
      const needs = needsOfFunction(service);
      expect(needs.map((n) => n.action)).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject']));
      expect(missing(statementsOfRole(functions.get(service)!.Role), needs)).toEqual([]);
    });
  }

  for (const service of ['nightly', 'run']) {
    it(`${service}: states:StartExecution on the fan-out state machine`, () => {
      const machine = onlyResource(s.template, 'AWS::StepFunctions::StateMachine');
      const needs = needsOfFunction(service).filter((n) => n.action.startsWith('states:'));
      expect(needs).toEqual([{ action: 'states:StartExecution', resource: { Ref: machine.id } }]);
      expect(missing(statementsOfRole(functions.get(service)!.Role), needs)).toEqual([]);
    });
  }

  it('http: lambda:InvokeFunction on the run function it names, and nothing else of Lambda', () => {
    const run = Object.entries(resourcesOf(s.template, 'AWS::Lambda::Function')).find(
      ([, r]) => (r.Properties as Fn).Environment?.Variables?.POWERTOOLS_SERVICE_NAME === 'run',
    )!;
    const needs = needsOfFunction('http').filter((n) => n.action.startsWith('lambda:'));
    expect(needs).toEqual([{ action: 'lambda:InvokeFunction', resource: { 'Fn::GetAtt': [run[0], 'Arn'] } }]);
    expect(missing(statementsOfRole(functions.get('http')!.Role), needs)).toEqual([]);
  });

  it('nightly, run, fanout-finalize: sns:Publish on the alerts topic, not the alarm topic', () => {
    const topics = Object.entries(resourcesOf(s.template, 'AWS::SNS::Topic'));
    const alerts = topics.find(([id]) => id.startsWith('Alerts'))!;
    for (const service of ['nightly', 'run', 'fanout-finalize']) {
      const needs = needsOfFunction(service).filter((n) => n.action.startsWith('sns:'));
      expect(needs, service).toEqual([{ action: 'sns:Publish', resource: { Ref: alerts[0] } }]);
      expect(missing(statementsOfRole(functions.get(service)!.Role), needs), service).toEqual([]);
    }
  });

  it('would show a grant that is missing, or one on another resource', () => {
    const needs = needsOfFunction('http');
    const statements = statementsOfRole(functions.get('http')!.Role);
    const withoutPut = statements.map((st) => ({
      ...st,
      Action: asList(st.Action as string | string[]).filter((action) => action !== 's3:PutObject'),
    }));
    expect(missing(withoutPut, needs)).toEqual([expect.stringMatching(/^s3:PutObject \{"Fn::Join"/)]);
    const listElsewhere = needs.map((n) =>
      n.action === 's3:ListBucket' ? { ...n, resource: 'arn:aws:s3:::elsewhere' } : n,
    );
    expect(missing(statements, listElsewhere)).toEqual(['s3:ListBucket "arn:aws:s3:::elsewhere"']);
  });
});

describe('the state machine’s role grants what its definition calls', () => {
  it('lambda:InvokeFunction on each task’s function, s3:GetObject for the ItemReader', () => {
    const machine = onlyResource(s.template, 'AWS::StepFunctions::StateMachine');
    const parts = (machine.props.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
    const invoked = parts.filter(
      (p): p is { 'Fn::GetAtt': [string, string] } =>
        typeof p === 'object' && p !== null && 'Fn::GetAtt' in p,
    );
    expect(invoked).toHaveLength(4); // Plan, Worker, Finish, RecordFailure
    const text = parts.filter((p) => typeof p === 'string').join('');
    expect(text).toContain(':states:::s3:getObject');
    const { REPORT_BUCKET, REPORT_PREFIX } = functions.get('http')!.Environment.Variables;
    const bucketArn = { 'Fn::GetAtt': [(REPORT_BUCKET as { Ref: string }).Ref, 'Arn'] };
    const needs = [
      ...invoked.map((arn) => ({ action: 'lambda:InvokeFunction', resource: arn })),
      { action: 's3:GetObject', resource: { 'Fn::Join': ['', [bucketArn, `/${REPORT_PREFIX}*`]] } },
    ];
    expect(missing(statementsOfRole(machine.props.RoleArn), needs)).toEqual([]);
  });
});
