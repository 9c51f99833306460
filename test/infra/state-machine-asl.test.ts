/**
 * The fan-out state machine's definition, as synthesized, is valid Amazon States Language: checked
 * offline with asl-validator, so a definition Step Functions would reject fails here, not at
 * deploy time. The template holds the definition as a `Fn::Join` with tokens (function ARNs, the
 * partition); they become plain placeholder ARNs first, so the validator's ARN check runs too.
 */
import aslValidator from 'asl-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { onlyResource, resourcesOf, type StateJson, synth } from './synth';

const ACCOUNT = '123456789012';
const REGION = 'eu-central-1';

type Token = { Ref?: string; 'Fn::GetAtt'?: [string, string] };

/** The plain value a token stands for; a token of another kind fails, so it gets a rule here. */
function placeholderFor(token: Token, types: Record<string, string>): string {
  if (token.Ref === 'AWS::Partition') return 'aws';
  const [id, attribute] = token['Fn::GetAtt'] ?? [];
  if (id && attribute === 'Arn' && types[id] === 'AWS::Lambda::Function') {
    return `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${id}`;
  }
  throw new Error(`no placeholder for token ${JSON.stringify(token)} in the state machine definition`);
}

/** The definition as plain JSON text, every token replaced by its placeholder. */
function definitionText(template: ReturnType<typeof synth>['template']): string {
  const { props } = onlyResource(template, 'AWS::StepFunctions::StateMachine');
  const [separator, parts] = (props.DefinitionString as { 'Fn::Join': [string, Array<string | Token>] })[
    'Fn::Join'
  ];
  const types = Object.fromEntries(
    Object.entries(template.toJSON().Resources as Record<string, { Type: string }>).map(([id, r]) => [
      id,
      r.Type,
    ]),
  );
  return parts.map((part) => (typeof part === 'string' ? part : placeholderFor(part, types))).join(separator);
}

/** The validator's result for a copy of `definition` (it fills in defaults), every check on. */
const validate = (definition: StateJson) =>
  aslValidator(structuredClone(definition), { checkPaths: true, checkArn: true });

/** The validator's errors for `definition`, one `CODE: message` line each. */
function errorsOf(definition: StateJson): string[] {
  const result = validate(definition);
  expect(result.isValid).toBe(result.errors.length === 0);
  return result.errorsText('\n').split('\n').filter(Boolean);
}

let definition: StateJson;
let functionIds: string[];

beforeAll(() => {
  const { template } = synth();
  definition = JSON.parse(definitionText(template));
  functionIds = Object.keys(resourcesOf(template, 'AWS::Lambda::Function'));
});

describe('fan-out state machine definition (asl-validator)', () => {
  it('is valid Amazon States Language, paths and ARNs included', () => {
    const result = validate(definition);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
  });

  it('is the whole definition: every task names one of the stack’s functions', () => {
    const tasks = [
      definition.States.Plan,
      definition.States.FanOut.ItemProcessor.States.Worker,
      definition.States.Finish,
      definition.States.RecordFailure,
    ];
    for (const task of tasks) {
      const id = String(task.Resource).split(':function:')[1];
      expect(functionIds).toContain(id);
    }
    expect(definition.States.FanOut.ItemReader.Resource).toBe('arn:aws:states:::s3:getObject');
  });

  it('would catch a transition to a state that does not exist', () => {
    const broken = structuredClone(definition);
    broken.States.Plan.Next = 'NoSuchState';
    expect(errorsOf(broken)).toContainEqual(
      expect.stringMatching(/^MISSING_TRANSITION_TARGET: .*NoSuchState/),
    );
  });

  it('would catch a state without a type, and a task whose resource is not an ARN', () => {
    const untyped = structuredClone(definition);
    delete untyped.States.Finish.Type;
    expect(errorsOf(untyped)).toContainEqual(
      expect.stringMatching(/^SCHEMA_VALIDATION_FAILED: \/States\/Finish/),
    );

    const notAnArn = structuredClone(definition);
    notAnArn.States.Finish.Resource = '<ref>';
    expect(errorsOf(notAnArn)).toContainEqual(
      expect.stringMatching(/^SCHEMA_VALIDATION_FAILED: \/States\/Finish\/Resource/),
    );
  });

  it('would catch a result path that is not a path', () => {
    const badPath = structuredClone(definition);
    badPath.States.FanOut.ResultPath = 'batches';
    expect(errorsOf(badPath)).toContainEqual(
      expect.stringMatching(/^SCHEMA_VALIDATION_FAILED: \/States\/FanOut\/ResultPath/),
    );
  });
});
