/**
 * Which run the CLI's report compares itself with (changes.csv), from --previous or the output:
 * - `--previous none`: no comparison;
 * - `--previous DIR|s3://bucket/prefix/`: that run folder, which must hold a complete run of the
 *   workspace (checked before any request, exit 2 otherwise);
 * - an S3 destination: what its latest.json points at (the library's default);
 * - a reused `--out DIR`: the run DIR holds (a complete one, by the folder's rule);
 * - the default fresh folder: the newest complete run beside it in ./reports/<workspace>/.
 */
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type PreviousRun, previousRunProblem } from '../../lib/report/previous-run';
import { isRunId } from '../../lib/report/run-id';
import { FolderStore } from '../../lib/store/folder-store';
import { ConfigError } from '../shared/config';
import { type Destination, parseDestination, type S3ClientFactory, storeFor } from '../shared/destination';

/** The explicit --previous, checked; undefined when the flag was not given. */
export async function explicitPrevious(
  value: string | undefined,
  workspace: string,
  s3: S3ClientFactory,
): Promise<PreviousRun | undefined> {
  if (value === undefined) return undefined;
  if (value === 'none') return { kind: 'none', reason: 'the comparison was turned off (--previous none)' };
  let destination: Destination;
  try {
    destination = parseDestination(value);
  } catch {
    throw new ConfigError(
      `invalid --previous ${JSON.stringify(value)}: expected a folder, s3://bucket/prefix/ or none`,
    );
  }
  const store = await storeFor(destination, s3);
  const problem = await previousRunProblem(store, '', workspace).catch((error: unknown) =>
    error instanceof Error ? error.message : String(error),
  );
  if (problem !== undefined) {
    throw new ConfigError(
      `--previous ${value} is not a complete run of workspace "${workspace}": ${problem}`,
    );
  }
  return { kind: 'folder', store, prefix: '' };
}

/** The previous run of a folder output: the folder's own run, or the newest one beside a fresh folder. */
export async function folderPrevious(
  output: { dir: string; fresh: boolean },
  workspace: string,
): Promise<PreviousRun> {
  if (!output.fresh) return { kind: 'folder', store: new FolderStore(output.dir), prefix: '' };
  const parent = dirname(output.dir);
  const names = await readdir(parent).catch(() => [] as string[]);
  for (const name of names.filter(isRunId).sort().reverse()) {
    const store = new FolderStore(`${parent}/${name}`);
    if ((await previousRunProblem(store, '', workspace).catch(() => 'unreadable')) === undefined) {
      return { kind: 'folder', store, prefix: '' };
    }
  }
  return { kind: 'none', reason: `no previous complete run of workspace "${workspace}" in ${parent}/` };
}
