/**
 * The changes benchmark on its own (`npm run bench` runs it too, as a section): the extra time
 * and peak RSS of comparing a run with a baseline of the same size, inside real runs
 * (./changes-scenario). Prints the Markdown section.
 *
 * Usage: npx tsx bench/changes.ts [--sessions 420] [--max-files 5000] [--rounds 2] [--latency 0]
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { bundleChildScripts } from './bundle';
import { changesScenario } from './changes-scenario';
import { changesSection } from './changes-section';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string' },
      'max-files': { type: 'string' },
      rounds: { type: 'string' },
      latency: { type: 'string' },
    },
  });
  const scripts = await bundleChildScripts();
  try {
    const size = { sessions: Number(values.sessions ?? 420), maxFiles: Number(values['max-files'] ?? 5000) };
    const options = { rounds: Number(values.rounds ?? 2), latencyMs: Number(values.latency ?? 0) };
    console.log(changesSection(await changesScenario(scripts, size, options)));
  } finally {
    await rm(scripts.dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
