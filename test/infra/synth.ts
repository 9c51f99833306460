/**
 * Test helpers: synthesize the real app without bundling (NodejsFunction then stages a dummy
 * asset, so a template takes about a second, not esbuild's time) and read parts of it.
 *
 * `template` is the stage as one template: the service stack with each `Fn::ImportValue`
 * replaced by the value the data stack exports under that name, plus the data stack's
 * resources. So tests about what a function may touch read as before the split, and a
 * reference the data stack does not export fails the synth here.
 */
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/build-app';
import type { DataStack } from '../../infra/data-stack';
import type { ServiceStack } from '../../infra/service-stack';

/** Context every test starts from: no bundling, two workspaces for the nightly run. */
export const BASE_CONTEXT = { 'aws:cdk:bundling-stacks': [], workspaces: 'acme,globex' };

/** A synthesized app, its stacks and their templates. */
export interface Synthesized {
  app: App;
  data: DataStack;
  service: ServiceStack;
  dataTemplate: Template;
  serviceTemplate: Template;
  /** Both stacks as one template, cross-stack references resolved (see above). */
  template: Template;
}

/** Builds the app with `context` over `BASE_CONTEXT` and synthesizes both stacks (cdk-nag runs too). */
export function synth(context: Record<string, unknown> = {}): Synthesized {
  const { app, data, service } = buildApp({
    context: { ...BASE_CONTEXT, ...context },
    // CDK's built-in CloudFormation schema check loads every resource schema on first use (about
    // 5 s of CPU, more than the rest of these tests); `npx cdk synth` runs it and fails on errors.
    builtinCloudFormationValidation: false,
  });
  const dataTemplate = Template.fromStack(data);
  const serviceTemplate = Template.fromStack(service);
  const template = Template.fromJSON(mergeStage(dataTemplate.toJSON(), serviceTemplate.toJSON()));
  return { app, data, service, dataTemplate, serviceTemplate, template };
}

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation templates are open-ended JSON.
type TemplateJson = Record<string, any>;

/** The data stack's exports by name: the value each `Fn::ImportValue` of that name stands for. */
export function exportsOf(dataTemplate: TemplateJson): Map<string, unknown> {
  const exported = new Map<string, unknown>();
  for (const output of Object.values(dataTemplate.Outputs ?? {}) as TemplateJson[]) {
    if (output.Export) exported.set(output.Export.Name, output.Value);
  }
  return exported;
}

/** `value` with every `Fn::ImportValue` replaced by the export's value; unknown names throw. */
export function resolveImports(value: unknown, exported: Map<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveImports(item, exported));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === 'Fn::ImportValue') {
    const name = entries[0]![1];
    if (typeof name !== 'string' || !exported.has(name)) {
      throw new Error(`Fn::ImportValue of ${JSON.stringify(name)}: the data stack exports no such value`);
    }
    return exported.get(name);
  }
  return Object.fromEntries(entries.map(([key, inner]) => [key, resolveImports(inner, exported)]));
}

function mergeStage(data: TemplateJson, service: TemplateJson): TemplateJson {
  const resolved = resolveImports(service, exportsOf(data)) as TemplateJson;
  for (const id of Object.keys(data.Resources)) {
    if (id in resolved.Resources) throw new Error(`logical ID ${id} is in both stacks`);
  }
  const dataOutputs = Object.fromEntries(
    Object.entries(data.Outputs ?? {}).filter(([, output]) => !(output as TemplateJson).Export),
  );
  return {
    ...resolved,
    Resources: { ...data.Resources, ...resolved.Resources },
    Outputs: { ...dataOutputs, ...resolved.Outputs },
  };
}

type Resources = Record<string, { Type: string; Properties: Record<string, unknown> }>;

/** Every resource of `type`, by logical ID. */
export function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

/** A report function as tests read it: logical ID, properties, environment variables. */
export interface ReportFunctionResource {
  id: string;
  props: Record<string, unknown>;
  env: Record<string, unknown>;
}

/**
 * The service's own functions by their POWERTOOLS_SERVICE_NAME ('http', 'nightly', 'fanout-plan'
 * and so on). Not the deploy-time custom-resource function CDK adds in the cognito mode, which
 * has no such variable.
 */
export function reportFunctions(template: Template): Record<string, ReportFunctionResource> {
  const byService: Record<string, ReportFunctionResource> = {};
  for (const [id, fn] of Object.entries(resourcesOf(template, 'AWS::Lambda::Function'))) {
    const env = (fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const service = env?.POWERTOOLS_SERVICE_NAME;
    if (env && typeof service === 'string') byService[service] = { id, props: fn.Properties, env };
  }
  return byService;
}

/** The report function of `service` (fails when there is none). */
export function reportFunction(template: Template, service: string): ReportFunctionResource {
  const fn = reportFunctions(template)[service];
  if (!fn) throw new Error(`no function for service ${service}`);
  return fn;
}

/** The logical ID of the one secret whose ID starts with `prefix` (e.g. 'ApiKey'). */
export function secretIdOf(template: Template, prefix: string): string {
  const ids = Object.keys(resourcesOf(template, 'AWS::SecretsManager::Secret')).filter((id) =>
    id.startsWith(prefix),
  );
  if (ids.length !== 1) throw new Error(`expected one secret ${prefix}*, found ${ids.length}`);
  return ids[0]!;
}

/** The logical ID of the report bucket (not its access-log bucket). */
export function reportBucketId(template: Template): string {
  const buckets = resourcesOf(template, 'AWS::S3::Bucket');
  const id = Object.keys(buckets).find((key) => key.startsWith('Reports') && !key.includes('AccessLogs'));
  if (!id) throw new Error('no report bucket');
  return id;
}

/** The one resource of `type` (fails when there are more or none). */
export function onlyResource(
  template: Template,
  type: string,
): { id: string; props: Record<string, unknown> } {
  const entries = Object.entries(resourcesOf(template, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  const [id, resource] = entries[0]!;
  return { id, props: resource.Properties };
}

/**
 * The state machine's definition as an object. Intrinsics inside the `Fn::Join` (function ARNs,
 * the partition) become `"<ref>"` placeholders so the rest parses as plain JSON.
 */
export function stateMachineDefinition(template: Template): StateJson {
  const { props } = onlyResource(template, 'AWS::StepFunctions::StateMachine');
  const join = (props.DefinitionString as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = join[1].map((part) => (typeof part === 'string' ? part : '<ref>')).join('');
  return JSON.parse(text) as StateJson;
}

/** Amazon States Language, untyped: tests index into it and assert the values they find. */
// biome-ignore lint/suspicious/noExplicitAny: ASL is open-ended JSON; assertions check the shape.
export type StateJson = any;

/** All IAM policy statements in the template, with the logical ID of their policy. */
export function policyStatements(template: Template): Array<Record<string, unknown> & { policy: string }> {
  return Object.entries(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(([policy, resource]) => {
    const document = resource.Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> };
    return document.Statement.map((statement) => ({ ...statement, policy }));
  });
}

/** `x` as an array (IAM allows a single value or a list for Action and Resource). */
export function asList<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

/**
 * A template string value as text: a `Fn::Join` is joined, with `<Ref:X>` and `<X.Attribute>`
 * standing for its references, so a test can compare a whole URL or command at once.
 */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as {
    Ref?: string;
    'Fn::GetAtt'?: [string, string];
    'Fn::Join'?: [string, unknown[]];
  };
  if (intrinsic.Ref) return `<Ref:${intrinsic.Ref}>`;
  if (intrinsic['Fn::GetAtt']) return `<${intrinsic['Fn::GetAtt'].join('.')}>`;
  if (intrinsic['Fn::Join']) {
    const [separator, parts] = intrinsic['Fn::Join'];
    return parts.map(textOf).join(separator);
  }
  throw new Error(`cannot read ${JSON.stringify(value)} as text`);
}
