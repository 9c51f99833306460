/**
 * The end-to-end test on AWS never runs here, but its app must not rot: it is synthesized
 * offline (no bundling, CloudFormation's schema check on) and compared with the checked-in
 * snapshot, and the parts the test's meaning rests on are checked one by one: the workspaces
 * straddle the lowered fan-out threshold, the service calls the emulator, and the assertions
 * run the nightly, compare the CSVs of both runs and download through a presigned URL.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { countFiles, generateDataset } from '../../emulator/dataset';
import { buildIntegApp } from '../aws/integ-app';
import { EMULATED_WORKSPACES } from '../aws/integ-fixture-stack';
import { normalizeTemplate, OFFLINE_CONTEXT, SNAPSHOT_DIR, snapshotTemplates } from '../aws/snapshot';
import { reportFunction, resourcesOf } from './synth';

let built: ReturnType<typeof buildIntegApp>;
let templates: Record<string, Template>;
let fileNames: Record<string, string>;

beforeAll(() => {
  built = buildIntegApp({ context: OFFLINE_CONTEXT });
  const assembly = built.app.synth();
  templates = {};
  fileNames = {};
  for (const stack of assembly.stacks) {
    templates[stack.stackName] = Template.fromJSON(stack.template);
    fileNames[stack.stackName] = stack.templateFile;
  }
}, 120_000);

const assertStackName = () => Object.keys(templates).find((name) => name.startsWith('NightlyOnAws'))!;
const assertCalls = () => Object.values(templates[assertStackName()]!.toJSON().Resources);

describe('the integ app', () => {
  it('deploys the integ stage (data, service), the fixture, and the assertions', () => {
    expect(Object.keys(templates).sort()).toEqual([
      'IngestionReports-integ-Data',
      'IngestionReports-integ-Fixture',
      'IngestionReports-integ-Service',
      assertStackName(),
    ]);
    expect(built.data.terminationProtection).toBe(false);
    expect(
      Object.keys(resourcesOf(templates['IngestionReports-integ-Data']!, 'Custom::S3AutoDeleteObjects')),
    ).toHaveLength(2);
  });

  it('matches the checked-in snapshot (refresh: npm run test:aws -- --snapshot)', async () => {
    const snapshot = await snapshotTemplates();
    const current = Object.fromEntries(
      Object.entries(templates).map(([name, template]) => [
        fileNames[name]!,
        normalizeTemplate(JSON.stringify(template.toJSON())),
      ]),
    );
    expect(current).toEqual(snapshot);
    const integ = JSON.parse(await readFile(join(SNAPSHOT_DIR, 'integ.json'), 'utf8'));
    expect(integ.testCases['NightlyOnAws/DefaultTest'].stacks).toEqual([
      'IngestionReports-integ-Data',
      'IngestionReports-integ-Fixture',
      'IngestionReports-integ-Service',
    ]);
  });

  it('has a small workspace under the fan-out threshold and a large one of several batches above it', () => {
    const nightly = reportFunction(templates['IngestionReports-integ-Service']!, 'nightly').env;
    const worker = reportFunction(templates['IngestionReports-integ-Service']!, 'fanout-worker').env;
    const threshold = Number(nightly.FANOUT_THRESHOLD_FILES);
    const batch = Number(worker.FANOUT_BATCH_FILES);
    const filesOf = (size: { sessions: number; maxFiles: number }) =>
      countFiles(generateDataset({ ...size, workspace: 'w' }).workspaces.get('w')!);
    expect(filesOf(EMULATED_WORKSPACES.small)).toBeLessThan(threshold);
    const large = filesOf(EMULATED_WORKSPACES.large);
    expect(large).toBeGreaterThan(threshold);
    // Several batches, each files.csv part above S3's 5 MiB part minimum (about 100 bytes a row),
    // so Finish copies parts with UploadPartCopy.
    expect(large / batch).toBeGreaterThan(2);
    expect(batch * 100).toBeGreaterThan(5 * 1024 * 1024);
  });

  it('points the service at the emulator behind the fixture stack Function URL', () => {
    const fixture = templates['IngestionReports-integ-Fixture']!;
    const [urlId] = Object.keys(resourcesOf(fixture, 'AWS::Lambda::Url'));
    expect(resourcesOf(fixture, 'AWS::Lambda::Url')[urlId!]!.Properties.AuthType).toBe('NONE');
    for (const service of ['nightly', 'fanout-plan', 'fanout-worker', 'http']) {
      const url = JSON.stringify(
        reportFunction(templates['IngestionReports-integ-Service']!, service).env.DEEPSET_API_URL,
      );
      expect(url).toContain(
        'IngestionReports-integ-Fixture:ExportsOutputFnGetAttEmulatorFunctionFunctionUrl',
      );
      expect(url).toContain('api/v1');
    }
  });

  it('asserts the runners, waits for three complete runs, compares three CSVs, downloads once', () => {
    const calls = assertCalls() as Array<{ Type: string; Properties: Record<string, unknown> }>;
    const invokes = calls.filter((r) => r.Type === 'Custom::DeployAssert@SdkCallLambdainvoke');
    const payloads = invokes.map((r) => JSON.stringify(r.Properties.parameters));
    expect(payloads.filter((p) => p.includes('small') && p.includes('large'))).toHaveLength(1);
    const checks = invokes.map((r) => r.Properties.actualPath).filter(Boolean);
    expect(checks.sort()).toEqual([
      'Payload.failed_files',
      'Payload.files',
      'Payload.sessions',
      'Payload.status',
      'Payload.status',
      'Payload.status',
    ]);
    const equals = calls.filter((r) => r.Type === 'Custom::DeployAssert@AssertEquals');
    expect(equals).toHaveLength(4);
    const http = calls.filter((r) => r.Type === 'Custom::DeployAssert@HttpCall');
    expect(http).toHaveLength(1);
    expect(JSON.parse(http[0]!.Properties.expected as string)).toEqual({
      $ObjectLike: { status: 206, ok: true },
    });
    expect(http[0]!.Properties.parameters).toMatchObject({
      fetchOptions: { headers: { Range: 'bytes=0-99' } },
    });
    expect(calls.some((r) => r.Type === 'Custom::DeployAssert@SdkCallSFNlistExecutions')).toBe(true);
  });
});
