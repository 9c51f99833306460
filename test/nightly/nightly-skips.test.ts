/**
 * The nightly handler leaves alone what another run has: a workspace whose run is in progress
 * (it holds the workspace's lease) is skipped and the log says why, and a retried night (the same
 * event, the same scheduled time) skips each workspace already published since that time.
 * Neither is a failure. The emulator over HTTP and s3rver, as in nightly-handler.test.ts.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { describe, expect, it } from 'vitest';
import { createNightlyHandler } from '../../functions/nightly/nightly-handler';
import { NIGHTLY_SERVICE } from '../../functions/nightly/nightly-metrics';
import { METRICS_NAMESPACE } from '../../functions/shared/powertools';
import { claimRun } from '../../lib/report/leased-run';
import { fakeContext, useNightlyFixture } from './nightly-fixture';

const nightly = useNightlyFixture();

const handler = () =>
  createNightlyHandler({
    logger: new Logger({ serviceName: NIGHTLY_SERVICE }),
    metrics: new Metrics({ namespace: METRICS_NAMESPACE, serviceName: NIGHTLY_SERVICE }),
    env: nightly.fixture.env,
  });
const skippedLines = () =>
  nightly.output.records().filter((r) => r.message === 'workspace skipped') as {
    workspace: string;
    reason: string;
  }[];
const runFolders = async (workspace: string) =>
  new Set(
    (await nightly.fixture.store.list(`${workspace}/`))
      .filter((k) => k.endsWith('/status.json') || k.endsWith('/summary.json'))
      .map((k) => k.split('/')[2]),
  );

describe('the nightly handler', () => {
  it('skips a workspace whose run is in progress, logs why, and does not fail', async () => {
    const going = await claimRun({ store: nightly.fixture.store, workspace: 'demo', mode: 'full' });
    const foldersBefore = await runFolders('demo');
    const latestBefore = await nightly.fixture.latest('demo');
    const summary = await handler()({ workspaces: ['demo', 'beta'] }, fakeContext());
    expect(summary).toMatchObject({ succeeded: 2, failed: 0 });
    expect(skippedLines()).toEqual([
      expect.objectContaining({ workspace: 'demo', reason: 'RUN_IN_PROGRESS' }),
    ]);
    expect(await runFolders('demo'), 'no run of its own').toEqual(foldersBefore);
    expect(await nightly.fixture.latest('demo')).toEqual(latestBefore);
    expect((await nightly.fixture.latest('beta'))?.run_id).toBeDefined();
    await going.abandon({ code: 'ABANDONED', message: 'the test is done with it' });
  });

  it('on a retried night, skips each workspace published since the scheduled time', async () => {
    // Earlier runs of these workspaces (the test above) started before this night's scheduled time.
    const night = { workspaces: ['demo', 'beta'], scheduled_time: new Date().toISOString() };
    await new Promise((resolve) => setTimeout(resolve, 5));
    const first = await handler()(night, fakeContext());
    expect(first).toMatchObject({ succeeded: 2, failed: 0 });
    expect(skippedLines()).toEqual([]);
    const published = {
      demo: await nightly.fixture.latest('demo'),
      beta: await nightly.fixture.latest('beta'),
    };

    const retried = await handler()(night, fakeContext());
    expect(retried).toMatchObject({ succeeded: 2, failed: 0 });
    expect(skippedLines().map((l) => [l.workspace, l.reason])).toEqual([
      ['demo', 'ALREADY_PUBLISHED'],
      ['beta', 'ALREADY_PUBLISHED'],
    ]);
    expect({
      demo: await nightly.fixture.latest('demo'),
      beta: await nightly.fixture.latest('beta'),
    }).toEqual(published);

    // The next night (scheduled after those runs started) runs again.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const next = { ...night, scheduled_time: new Date().toISOString() };
    await handler()(next, fakeContext());
    expect((await nightly.fixture.latest('demo'))?.run_id).not.toBe(published.demo?.run_id);
  });
});
