import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countFiles, generateDataset } from '../../emulator/dataset';
import { type RunningEmulator, startEmulator } from '../../emulator/server';
import { fileIdOf, filesPath, get, NOW, sessionWithFiles, walkPages } from './helpers';

let emulator: RunningEmulator;
let generationMs: number;

beforeAll(async () => {
  const started = performance.now();
  const dataset = generateDataset({ seed: 1, sessions: 100, maxFiles: 5000, now: NOW });
  generationMs = performance.now() - started;
  emulator = await startEmulator({ port: 0, dataset });
});
afterAll(() => emulator.close());

// Bounds are loose (2 shared cores in CI); they catch an accidental O(n^2), not a slow machine.
describe('scale', () => {
  it('generates about a quarter of a million files in well under the time budget', () => {
    const total = countFiles(emulator.dataset.workspaces.get('demo')!);
    expect(total).toBeGreaterThan(200_000);
    expect(generationMs).toBeLessThan(4_000);
  });

  it('serves every page of a 5000-file session, by page number and by cursor, quickly', async () => {
    const session = sessionWithFiles(emulator, 5000);
    const path = filesPath(session.session_id);
    const started = performance.now();
    const byPage = await walkPages(emulator, path, { limit: 100, field: 'name', order: 'ASC' }, fileIdOf);
    const byCursor: string[] = [];
    let page = await get(emulator, path, { limit: 100, field: 'name', order: 'ASC' });
    byCursor.push(...page.body.data.map(fileIdOf));
    while (page.body.has_more) {
      const after = byCursor[byCursor.length - 1]!;
      page = await get(emulator, path, { limit: 100, field: 'name', order: 'ASC', after });
      byCursor.push(...page.body.data.map(fileIdOf));
    }
    const elapsed = performance.now() - started;
    expect(byPage.ids).toHaveLength(5000);
    expect(byCursor).toEqual(byPage.ids);
    expect(elapsed).toBeLessThan(5_000);
  });
});
