#!/usr/bin/env node
/**
 * The package `bin` and `npm run report`: runs the CLI bundle in dist/ with plain `node`, with
 * source maps on, so stack traces name the .ts lines. `npm ci` builds the bundle (the `prepare`
 * script); should the sources have changed since, the bundle is rebuilt first and a line on
 * stderr says so, and when it cannot be (esbuild not installed) the launcher refuses with one
 * line instead of running an old build.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readStamp, staleReason } from '../build/freshness.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function freshEntry() {
  const stamp = await readStamp(root);
  const reason = await staleReason(root, stamp);
  if (stamp && reason === undefined) return stamp.entry;
  process.stderr.write(`ingestion-report: rebuilding the CLI bundle (${reason})\n`);
  let build;
  try {
    build = await import('../build/build-cli.js');
  } catch {
    process.stderr.write(
      'error: the CLI bundle in dist/ is out of date and esbuild is not installed to rebuild it: run `npm ci`\n',
    );
    process.exit(2);
  }
  return (await build.buildCli(root)).entry;
}

const entry = await freshEntry();
process.setSourceMapsEnabled(true);
await import(pathToFileURL(join(root, 'dist', entry)).href);
