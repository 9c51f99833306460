/** Section 6 of the results: each Lambda function's bundle size and cold import time. */
import type { ColdStart } from './lambda-cold-start';
import { markdownTable } from './table';

/** Goals: the HTTP function initialises in 150 ms and every bundle stays under 1 MB minified. */
export const HTTP_INIT_GOAL_MS = 150;
export const BUNDLE_GOAL_BYTES = 1_000_000;

const kb = (bytes: number) => `${(bytes / 1000).toFixed(0)} kB`;
const ms = (value: number) => `${value.toFixed(0)} ms`;

export function lambdaSection(lambdas: readonly ColdStart[]): string {
  return [
    '## 6. Lambda cold start: bundle size and init (import) time',
    '',
    markdownTable(
      ['function', 'entry', 'bundle (minified)', 'init (wall, median)', 'init (CPU, median)'],
      lambdas.map((l) => [l.name, l.entry, kb(l.bundleBytes), ms(l.initMs), ms(l.initCpuMs)]),
    ),
    '',
    "Each entry bundled with the CDK app's esbuild settings (infra/report-function.ts), then imported by a " +
      'fresh `node --enable-source-maps` process: the module loading and top-level code that Lambda runs in its ' +
      'init phase (no AWS client is made there: each function makes its S3, Step Functions and Secrets Manager ' +
      'clients on its first invocation). `CPU`: user + system time of the import, which other processes on the ' +
      `machine do not inflate. Goals: the HTTP function ≤ ${HTTP_INIT_GOAL_MS} ms, every bundle ≤ ${kb(BUNDLE_GOAL_BYTES)}. ` +
      'This machine is not Lambda (x86 and Node 20 here; arm64 and Node 22 there).',
  ].join('\n');
}
