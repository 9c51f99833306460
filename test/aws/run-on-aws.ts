/**
 * `npm run test:aws`: the end-to-end test on a real AWS account, in one command. It deploys the
 * integ app (integ-app.ts) with the project's pinned CDK CLI, reads every assertion's result
 * from the stack outputs (as integ-runner does), and destroys everything again, pass or fail.
 *
 * Why not integ-runner itself: @aws-cdk/integ-runner 2.197.10 (the newest release) bundles a
 * toolkit that reads cloud-assembly schema 53 at most, and aws-cdk-lib 2.276.0 writes 55, so it
 * stops before deploying ("AssemblyVersionMismatch"). Once a release reads 55, this is
 * `integ-runner --directory test/aws --app "npx tsx {filePath}" --test-regex "^integ\..*\.ts$" --force`.
 *
 *   npm run test:aws                  deploy, assert, destroy (about 30 minutes; costs cents)
 *   npm run test:aws -- --keep        leave the stacks for a look (`npx cdk destroy --all` later)
 *   npm run test:aws -- --snapshot    only synthesize (offline) into the checked-in snapshot
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { PROJECT_ROOT } from '../../infra/report-function';
import { failedAssertions } from './assertion-results';
import { writeSnapshot } from './snapshot';

const APP = 'npx tsx test/aws/integ.nightly-on-aws.ts';

/** Runs the pinned CDK CLI in the project root; throws when it fails. */
function cdk(args: string[]): void {
  const run = spawnSync('npx', ['cdk', ...args, '--app', APP], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`cdk ${args[0]} failed (exit ${run.status ?? run.signal})`);
}

/** True when the default credential chain (env, profile, SSO, instance role) yields credentials. */
async function haveCredentials(): Promise<boolean> {
  try {
    await new S3Client({}).config.credentials();
    return true;
  } catch {
    return false;
  }
}

async function deployAssertDestroy(keep: boolean): Promise<number> {
  const out = await mkdtemp(join(tmpdir(), 'integ-out-'));
  const outputsFile = join(out, 'outputs.json');
  try {
    cdk(['deploy', '--all', '--require-approval', 'never', '--output', out, '--outputs-file', outputsFile]);
    const outputs = JSON.parse(await readFile(outputsFile, 'utf8'));
    const { passed, failed } = failedAssertions(outputs);
    for (const name of passed) console.log(`PASS ${name}`);
    for (const { name, message } of failed) console.error(`FAIL ${name}: ${message}`);
    return failed.length === 0 && passed.length > 0 ? 0 : 1;
  } finally {
    if (keep)
      console.log('--keep: the stacks stay; remove them with npx cdk destroy --all --app "<same app>"');
    else cdk(['destroy', '--all', '--force', '--output', out]);
    await rm(out, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--snapshot')) {
    await writeSnapshot();
    return 0;
  }
  if (!(await haveCredentials())) {
    console.error('test:aws: no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID); nothing deployed');
    return 2;
  }
  return deployAssertDestroy(args.includes('--keep'));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:aws: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
