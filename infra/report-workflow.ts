/**
 * The fan-out workflow for workspaces too big for one Lambda run: a STANDARD state machine
 * Plan -> FanOut (Distributed Map) -> Finish, with a failure path. The state, step by step
 * (JSONPath; functions/fanout/fanout-events.ts checks each shape):
 *
 * Execution input (the nightly function, or the run function for a run started over HTTP,
 * starts it with STATE_MACHINE_ARN, after claiming the run: the workspace's lease and
 * status.json "running"):
 *   `{ "workspace": "acme", "runId": "<run id>", "mode": "full" }` (no runId: Plan makes one)
 *
 * The workspace's lease (`<workspace>/run.lease`, one run per workspace at a time) is held for
 *   the whole execution: Plan claims it under the run ID (adopting the starter's claim), Plan and
 *   every Worker keep it alive while they run (a 30-minute TTL covers the gaps between steps),
 *   and Finish or RecordFailure write the final status.json and let it go. A step that finds
 *   the lease taken by another run fails with LEASE_LOST, and nothing is published. An
 *   execution that dies without either (stopped, timed out) frees the workspace within the TTL.
 *
 * Plan (Lambda `functions/fanout/plan/handler.ts`): receives the execution input as its event.
 *   Lists the sessions, counts their files, splits them into batches and writes the manifest: a
 *   JSON array with one element per batch (`lib/fanout/manifest.ts`), under REPORT_PREFIX
 *   (`<prefix><workspace>/<date>/<runId>/fanout/manifest.json`; only keys under the prefix
 *   are readable). Its return value REPLACES the state, so it echoes what later steps need:
 *   `{ "workspace", "runId", "mode", "bucket": REPORT_BUCKET, "manifestKey": "<key>",
 *      "batches", "sessions", "files", "startedAt", "apiRequests", "apiRetries" }`
 *
 * FanOut (Distributed Map): reads the manifest with an `s3:getObject` JSON ItemReader
 *   (Bucket `$.bucket`, Key `$.manifestKey`), runs at most `fanoutMaxConcurrency` child
 *   executions at once. Each child runs Worker on one item.
 *   Worker (Lambda `functions/fanout/worker/handler.ts`) receives:
 *   `{ "workspace", "runId", "mode", "bucket", "manifestKey", "batchIndex": <0-based>, "batch": <item> }`
 *   It writes its part files and `counts-<batch>.json` to S3 itself (`.../fanout/`): its return
 *   value is discarded, because the map's collected results would soon exceed the 256 KiB state
 *   limit. Retries: throttling and Lambda service errors first, then any error 3 attempts (2 s,
 *   x2, full jitter). A batch that still fails fails the map (0 % tolerated).
 *   FanOut's output is its input: the plan's return value.
 *
 * Finish (Lambda `functions/fanout/finalize/handler.ts`): receives the plan's return value; assembles
 *   the CSVs from the parts, writes summary.json and latest.json. Its return value (a few
 *   fields) is the execution's output.
 *
 * Failure path: when Plan or FanOut fails, a Catch adds `"failure": { "Error", "Cause" }` to the
 *   state and goes to RecordFailure (the finalize function again), which writes an incomplete
 *   summary.json saying which step or batch failed and why, and returns
 *   `{ ..., "error": { "code", "message" } }`; ReportFailed (a Fail state) then fails the
 *   execution with that code and message, so the WorkflowFailed alarm fires. latest.json is
 *   never moved by a failed run.
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  DefinitionBody,
  DistributedMap,
  Errors,
  Fail,
  JitterType,
  JsonPath,
  LogLevel,
  type QueryLanguage,
  S3JsonItemReader,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { acknowledge, arnWildcard, logicalId, resourceWildcard } from './nag';

/** Properties of a `ReportWorkflow`. */
export interface ReportWorkflowProps {
  readonly plan: IFunction;
  readonly worker: IFunction;
  readonly finalize: IFunction;
  /** The report bucket; the map reads manifests from it. */
  readonly bucket: IBucket;
  /** Manifests must live under this key prefix. */
  readonly prefix: string;
  /** How many batches run at once in one execution. */
  readonly maxConcurrency: number;
  readonly logRetention: RetentionDays;
}

/** The state machine and its log group. */
export class ReportWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: ReportWorkflowProps) {
    super(scope, id);
    const recordFailure = invoke(this, 'RecordFailure', props.finalize).next(
      new Fail(this, 'ReportFailed', {
        errorPath: JsonPath.stringAt('$.error.code'),
        causePath: JsonPath.stringAt('$.error.message'),
      }),
    );
    const plan = invoke(this, 'Plan', props.plan);
    const map = fanOut(this, props);
    for (const step of [plan, map]) {
      step.addCatch(recordFailure, { errors: [Errors.ALL], resultPath: '$.failure' });
    }
    const definition = plan.next(map).next(invoke(this, 'Finish', props.finalize));
    const logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromChainable(definition),
      // A hung run is stopped (and alarmed as timed out) well before the next night's run.
      timeout: Duration.hours(12),
      tracingEnabled: true,
      // ALL events, but no payloads: state carries workspace data that does not belong in logs.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    // The ItemReader's bucket comes from the state, so CDK cannot grant it: grant the prefix.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${props.prefix}*`)],
      }),
    );
    acknowledge(this.stateMachine, {
      'AwsSolutions-IAM5[Resource::*]':
        'X-Ray PutTraceSegments/GetSamplingRules and the CloudWatch Logs delivery APIs support no resource ARNs.',
      [resourceWildcard(this, props.bucket.bucketArn, `/${props.prefix}*`)]:
        'The map reads manifests the plan writes anywhere under the report prefix.',
      ...Object.fromEntries(
        [props.plan, props.worker, props.finalize].map((fn) => [
          arnWildcard(fn, ':*'),
          'CDK grants lambda:InvokeFunction on the function and its versions/aliases; no other function.',
        ]),
      ),
      ...distributedMapAcknowledgements(this.stateMachine),
    });
  }
}

/** The FanOut state: one Worker child execution per manifest item, retried, fail-fast. */
function fanOut(scope: Construct, props: ReportWorkflowProps): DistributedMap {
  const map = new FailFastDistributedMap(scope, 'FanOut', {
    itemReader: new S3JsonItemReader({
      bucketNamePath: JsonPath.stringAt('$.bucket'),
      key: JsonPath.stringAt('$.manifestKey'),
    }),
    itemSelector: {
      workspace: JsonPath.stringAt('$.workspace'),
      runId: JsonPath.stringAt('$.runId'),
      mode: JsonPath.stringAt('$.mode'),
      bucket: JsonPath.stringAt('$.bucket'),
      manifestKey: JsonPath.stringAt('$.manifestKey'),
      batchIndex: JsonPath.numberAt('$$.Map.Item.Index'),
      batch: JsonPath.objectAt('$$.Map.Item.Value'),
    },
    maxConcurrency: props.maxConcurrency,
    // Workers may run 15 minutes; EXPRESS children stop at 5.
    mapExecutionType: StateMachineType.STANDARD,
    resultPath: JsonPath.DISCARD,
    label: 'FanOut',
  });
  const worker = invoke(scope, 'Worker', props.worker);
  worker.addRetry({
    errors: [Errors.ALL],
    maxAttempts: 3,
    interval: Duration.seconds(2),
    backoffRate: 2,
    jitterStrategy: JitterType.FULL,
  });
  return map.itemProcessor(worker);
}

/**
 * A Distributed Map starts, describes and stops its own child executions: CDK grants that on
 * this state machine's executions (`<machine>:*`, `<machine>/FanOut:*`), whose IDs are not known
 * before they run.
 */
function distributedMapAcknowledgements(stateMachine: StateMachine): Record<string, string> {
  const execution =
    'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:' +
    `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId(stateMachine)}"}]}]}`;
  const reason = "The map's child executions of this one state machine; their IDs exist only at run time.";
  return {
    [`AwsSolutions-IAM5[Resource::${execution}:*]`]: reason,
    [`AwsSolutions-IAM5[Resource::${execution}/FanOut:*]`]: reason,
  };
}

/**
 * A Distributed Map that states `ToleratedFailurePercentage: 0` outright: a report missing one
 * batch is wrong, not partial. CDK drops a 0 from the rendered state (it is the service default),
 * but the contract should be readable in the definition, not implied.
 */
class FailFastDistributedMap extends DistributedMap {
  override toStateJson(queryLanguage?: QueryLanguage): object {
    return { ...super.toStateJson(queryLanguage), ToleratedFailurePercentage: 0 };
  }
}

/** A Lambda task whose output is the function's return value, retried on throttling. */
function invoke(scope: Construct, id: string, fn: IFunction): LambdaInvoke {
  const task = new LambdaInvoke(scope, id, { lambdaFunction: fn, payloadResponseOnly: true });
  task.addRetry({
    // Reserved concurrency throttles bursts (e.g. two runs at once): wait instead of failing.
    errors: ['Lambda.TooManyRequestsException'],
    maxAttempts: 10,
    interval: Duration.seconds(5),
    backoffRate: 2,
    maxDelay: Duration.minutes(2),
    jitterStrategy: JitterType.FULL,
  });
  return task;
}
