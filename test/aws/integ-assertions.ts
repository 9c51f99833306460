/**
 * What the end-to-end test proves on AWS, one step after the other:
 * 1. The nightly function, invoked for `small` and `large`, reports `small` in one process and
 *    hands `large` to the fan-out workflow (it is above the lowered threshold).
 * 2. The reference function reports `large` in one process, under `reference/` (asynchronously:
 *    that takes longer than an assertion may wait for an answer).
 * 3. Both runs of `large` and the run of `small` complete (latest.json points at a run whose
 *    summary says complete), and the workflow has a SUCCEEDED execution: Plan, the Distributed
 *    Map's S3 ItemReader over the manifest, the workers' streamed parts, Finish's UploadPartCopy.
 * 4. The fan-out's files.csv, failed_files.csv and sessions.csv have the same SHA-256 and size
 *    as the single-process run's.
 * 5. A presigned URL the app makes for the fan-out's files.csv downloads (a ranged GET: 206).
 */
import { ActualResult, ExpectedResult, type IntegTest, InvocationType } from '@aws-cdk/integ-tests-alpha';
import { Duration } from 'aws-cdk-lib';
import type { InfraConfig } from '../../infra/config';
import type { ServiceStack } from '../../infra/service-stack';
import { type IntegFixtureStack, REFERENCE_PREFIX } from './integ-fixture-stack';

/** What the assertions use. */
export interface AssertionTargets {
  service: ServiceStack;
  fixture: IntegFixtureStack;
  config: InfraConfig;
}

/** The CSVs compared byte for byte (the probe's names for them). */
const CSV_FILES = ['files', 'failed_files', 'sessions'] as const;

/** Long enough for 228,399 files in one process or in 4 batches; polled every 30 s. */
const RUN_WAIT = { totalTimeout: Duration.minutes(30), interval: Duration.seconds(30) };

export function addAssertions(integ: IntegTest, targets: AssertionTargets): void {
  const { assertions } = integ;
  const { service, fixture, config } = targets;
  // `purpose` only tells the calls apart (integ-tests names a call after its parameters).
  const probe = (purpose: string, payload: Record<string, string>) =>
    assertions.invokeFunction({
      functionName: fixture.probe.functionName,
      payload: JSON.stringify({ ...payload, purpose }),
    });
  const runOf = (reportPrefix: string, workspace: string) =>
    probe('wait', { action: 'run', reportPrefix, workspace })
      .assertAtPath('Payload.status', ExpectedResult.exact('complete'))
      .waitForAssertions(RUN_WAIT);

  // 1. The nightly run: small in process, large handed to the workflow.
  const nightly = assertions.invokeFunction({
    functionName: service.nightly.functionName,
    payload: JSON.stringify({ workspaces: ['small', 'large'] }),
  });
  const expected = {
    SmallIsFirst: ['workspaces.0.workspace', 'small'],
    SmallRanInProcess: ['workspaces.0.runner', 'in-process'],
    LargeIsSecond: ['workspaces.1.workspace', 'large'],
    LargeRanOnTheWorkflow: ['workspaces.1.runner', 'step-functions'],
  } as const;
  for (const [id, [path, value]] of Object.entries(expected)) {
    assertions.expect(
      id,
      ExpectedResult.exact(value),
      ActualResult.fromAwsApiCall(nightly, `Payload.${path}`),
    );
  }

  // 2. The single-process reference of large, started without waiting for its answer.
  const reference = assertions.invokeFunction({
    functionName: fixture.reference.functionName,
    invocationType: InvocationType.EVENT,
    payload: JSON.stringify({ workspaces: ['large'] }),
  });

  // 3. Every run completes; the workflow's execution succeeded.
  const smallRun = runOf(config.reportPrefix, 'small');
  const fanoutRun = runOf(config.reportPrefix, 'large');
  const referenceRun = runOf(REFERENCE_PREFIX, 'large');
  const execution = assertions
    .awsApiCall('SFN', 'listExecutions', {
      stateMachineArn: service.stateMachine.stateMachineArn,
      statusFilter: 'SUCCEEDED',
    })
    .assertAtPath('executions.0.status', ExpectedResult.exact('SUCCEEDED'));

  // 4. Same bytes: the reference's checksums, then the fan-out's, compared by the assertion
  // provider (one probe per file: an assertion reads one path of one answer).
  const referenceSums = probe('reference', {
    action: 'run',
    reportPrefix: REFERENCE_PREFIX,
    workspace: 'large',
  });
  const sameBytes = CSV_FILES.map((file) =>
    probe(`compare ${file}`, {
      action: 'run',
      reportPrefix: config.reportPrefix,
      workspace: 'large',
    }).assertAtPath(`Payload.${file}`, ExpectedResult.exact(referenceSums.getAttString(`Payload.${file}`))),
  );

  // 5. A presigned download of the fan-out's files.csv.
  const presigned = probe('download', {
    action: 'presign',
    reportPrefix: config.reportPrefix,
    workspace: 'large',
    file: 'files.csv',
  });
  const download = assertions
    .httpApiCall(presigned.getAttString('Payload.url'), { headers: { Range: 'bytes=0-99' } })
    // An HTTP call ignores assertAtPath; expect() sees the whole (100-byte) answer.
    .expect(ExpectedResult.objectLike({ status: 206, ok: true }));

  nightly
    .next(reference)
    .next(smallRun)
    .next(fanoutRun)
    .next(referenceRun)
    .next(execution)
    .next(referenceSums);
  let last = referenceSums;
  for (const check of sameBytes) last = last.next(check);
  last.next(presigned).next(download);
}
