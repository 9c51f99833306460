/**
 * The end-to-end test's checked-in snapshot: the templates of the integ app's four stacks and
 * its integ.json (which stacks make up the test case), synthesized offline without bundling.
 * The rest of the cloud assembly (staged assets, metadata, asset manifests) is left out: it
 * holds build output and this machine's paths, nothing to review.
 * The template test (test/infra/integ-app.test.ts) synthesizes the app again and compares, so a
 * change to the stacks or the assertions that nobody looked at fails `npm test`.
 */
import { spawnSync } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../infra/report-function';
import { buildIntegApp } from './integ-app';

/** Where integ-runner keeps the snapshot of `integ.nightly-on-aws.ts`. */
export const SNAPSHOT_DIR = join(PROJECT_ROOT, 'test/aws/integ.nightly-on-aws.ts.snapshot');

/** Context for an offline synth: no esbuild bundling, no stack traces (they hold local paths). */
export const OFFLINE_CONTEXT = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-stack-trace': true };

/** (Re)writes the snapshot directory. */
export async function writeSnapshot(): Promise<void> {
  await rm(SNAPSHOT_DIR, { recursive: true, force: true });
  buildIntegApp({ context: OFFLINE_CONTEXT, outdir: SNAPSHOT_DIR }).app.synth();
  for (const entry of await readdir(SNAPSHOT_DIR)) {
    if (!entry.endsWith('.template.json') && entry !== 'integ.json') {
      await rm(join(SNAPSHOT_DIR, entry), { recursive: true, force: true });
    }
  }
  // CDK's one-space JSON, formatted the way the linter checks it.
  const format = spawnSync('npx', ['biome', 'format', '--write', SNAPSHOT_DIR], { cwd: PROJECT_ROOT });
  if (format.status !== 0) throw new Error(`biome format failed: ${format.stderr}`);
}

/**
 * A template with what differs between two synths of the same code replaced: asset hashes
 * (64 hex digits), the `salt` integ-tests stamps on every assertion (the synth time), and the
 * hash in the output names of its equality assertions (a hash of token strings, which depend
 * on what else the process synthesized before).
 */
export function normalizeTemplate(text: string): unknown {
  const normalized = text
    .replace(/[0-9a-f]{64}/g, '<asset hash>')
    .replace(/"salt": ?"\d+"/g, '"salt":"<salt>"')
    .replace(/"(AssertionResultsEqualsAssertion[A-Za-z]+?)[0-9a-f]{32}"/g, '"$1<hash>"');
  return JSON.parse(normalized);
}

/** The snapshot's templates by file name, normalized. */
export async function snapshotTemplates(): Promise<Record<string, unknown>> {
  const names = (await readdir(SNAPSHOT_DIR)).filter((name) => name.endsWith('.template.json'));
  const templates: Record<string, unknown> = {};
  for (const name of names)
    templates[name] = normalizeTemplate(await readFile(join(SNAPSHOT_DIR, name), 'utf8'));
  return templates;
}
