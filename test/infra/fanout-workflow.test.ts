/**
 * The fan-out workflow's template, beyond what stack.test.ts checks (ItemReader, MaxConcurrency,
 * the worker's retries, the failed-executions alarm): the failure path that records why a run
 * failed, the worker's input, throttling retries on every task, least privilege for the three
 * fan-out functions, and the timed-out alarm.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  asList,
  policyStatements,
  reportFunction,
  resourcesOf,
  type StateJson,
  type Synthesized,
  stateMachineDefinition,
  synth,
} from './synth';

let s: Synthesized;
let states: Record<string, StateJson>;

beforeAll(() => {
  s = synth();
  states = stateMachineDefinition(s.template).States;
});

const functionIdOf = (service: string) => reportFunction(s.template, service).id;

describe('fan-out workflow: failure path', () => {
  it('sends a failed Plan or FanOut, with the error under $.failure, to RecordFailure', () => {
    for (const name of ['Plan', 'FanOut']) {
      expect(states[name].Catch).toEqual([
        { ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'RecordFailure' },
      ]);
    }
    expect(states.Finish.Catch).toBeUndefined();
  });

  it('records the failure with the finalize function, then fails the execution with its code and message', () => {
    expect(states.RecordFailure).toMatchObject({ Type: 'Task', Next: 'ReportFailed' });
    expect(states.ReportFailed).toEqual({
      Type: 'Fail',
      ErrorPath: '$.error.code',
      CausePath: '$.error.message',
    });
    // Same function as Finish: the task resources are the same (rendered) ARN.
    expect(states.RecordFailure.Resource).toBe(states.Finish.Resource);
  });
});

describe('fan-out workflow: tasks', () => {
  it('gives each worker the run, its mode, and its batch with the batch index', () => {
    expect(states.FanOut.ItemSelector).toEqual({
      'workspace.$': '$.workspace',
      'runId.$': '$.runId',
      'mode.$': '$.mode',
      'bucket.$': '$.bucket',
      'manifestKey.$': '$.manifestKey',
      'batchIndex.$': '$$.Map.Item.Index',
      'batch.$': '$$.Map.Item.Value',
    });
  });

  it('waits out Lambda throttling (reserved concurrency) in every task, with capped jittered backoff', () => {
    const tasks = [
      states.Plan,
      states.FanOut.ItemProcessor.States.Worker,
      states.Finish,
      states.RecordFailure,
    ];
    for (const task of tasks) {
      expect(task.Retry).toContainEqual({
        ErrorEquals: ['Lambda.TooManyRequestsException'],
        IntervalSeconds: 5,
        MaxAttempts: 10,
        BackoffRate: 2,
        MaxDelaySeconds: 120,
        JitterStrategy: 'FULL',
      });
    }
  });
});

describe('fan-out workflow: least privilege', () => {
  it('lets the state machine invoke the three fan-out functions and no other', () => {
    const invokes = policyStatements(s.template).filter(
      (st) =>
        st.policy.startsWith('WorkflowStateMachine') && asList(st.Action).includes('lambda:InvokeFunction'),
    );
    const targets = invokes.flatMap((st) => asList(st.Resource as unknown)).map((r) => JSON.stringify(r));
    const ids = ['fanout-plan', 'fanout-worker', 'fanout-finalize'].map(functionIdOf);
    expect(targets).toHaveLength(6); // each function and its versions/aliases (`<arn>:*`)
    for (const target of targets) expect(ids.some((id) => target.includes(`"${id}"`))).toBe(true);
    for (const id of ids) expect(targets.some((target) => target.includes(`"${id}"`))).toBe(true);
  });

  it('gives the fan-out functions S3 under the report prefix, the secret by ARN, their logs, and nothing else', () => {
    const bucketArn = { 'Fn::GetAtt': [expect.stringMatching(/^Reports/), 'Arn'] };
    for (const role of ['FanoutPlanRole', 'FanoutWorkerRole', 'FanoutFinalizeRole']) {
      const statements = policyStatements(s.template).filter((st) => st.policy.startsWith(role));
      const actions = statements.flatMap((st) => asList(st.Action as string | string[]));
      // Finish publishes the alert of a complete run (test/infra/alerts.test.ts checks the topic).
      const alerts = role === 'FanoutFinalizeRole' ? ['sns:Publish'] : [];
      expect(
        actions.every((a) => /^(s3|secretsmanager|logs):/.test(a) || alerts.includes(a)),
        role,
      ).toBe(true);
      // Scratch removal and aborted uploads need these; Step Functions needs none of its own.
      expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 's3:DeleteObject*', 's3:Abort*']));
      for (const st of statements.filter((x) =>
        asList(x.Action as string[]).some((a) => a.startsWith('s3:')),
      )) {
        expect(st.Resource).toEqual([bucketArn, { 'Fn::Join': ['', [bucketArn, '/reports/*']] }]);
      }
    }
  });
});

describe('fan-out workflow: alarms', () => {
  it('alarm on timed-out executions as well as failed ones', () => {
    const alarms = Object.values(resourcesOf(s.template, 'AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    const workflow = alarms.filter((a) => a.Namespace === 'AWS/States').map((a) => a.MetricName);
    expect(workflow.sort()).toEqual(['ExecutionsFailed', 'ExecutionsTimedOut']);
  });
});

describe('fan-out functions: batch size', () => {
  it('get FANOUT_BATCH_FILES from the fanoutBatchFiles context (default 50,000)', () => {
    for (const service of ['fanout-plan', 'fanout-worker', 'fanout-finalize']) {
      expect(reportFunction(s.template, service).env.FANOUT_BATCH_FILES).toBe('50000');
    }
  });
});
