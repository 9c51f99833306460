/**
 * The end-to-end test on AWS is opt-in and never part of `npm test`: it deploys four stacks to a
 * real account (credentials needed, about 30 minutes, a few cents), so it runs only through
 * `npm run test:aws` (test/aws/run-on-aws.ts), which deploys, asserts and destroys. What runs
 * here instead: its app synthesizes offline and matches the snapshot (test/infra/integ-app.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../infra/report-function';

// Opt-in only: it deploys to a real account. RUN_AWS_E2E=1 runs it inside vitest too.
const optedIn = process.env.RUN_AWS_E2E === '1';

describe.skipIf(!optedIn)(
  'end-to-end on AWS (skipped unless RUN_AWS_E2E=1: it deploys to a real account; or run `npm run test:aws`)',
  () => {
    it('runs the nightly for a small and a large workspace: fan-out byte-identical, presigned download works', () => {
      const run = spawnSync('npm', ['run', 'test:aws'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
      expect(run.status).toBe(0);
    }, 3_600_000);
  },
);
