/**
 * The emulator as a Lambda function behind a Function URL, so the end-to-end test on AWS needs
 * no deepset account: the deployed functions call it as they would call the real API.
 *
 * Every container generates the same data from its environment (no state is shared between
 * containers, and none is needed: same options, same bytes):
 *   EMULATOR_WORKSPACES  `name:sessions:maxFiles` entries, comma-separated, e.g. `small:8:300,large:160:3000`
 *   EMULATOR_NOW         the dataset's "now" (ISO 8601); pinned so containers started on
 *                        different days still serve identical data
 * Any non-empty bearer key is accepted; no faults are injected.
 */
import { handle } from 'hono/aws-lambda';
import { createEmulatorApp } from './app';
import { createFaults } from './faults';
import { datasetOf, nowFromEnv, parseWorkspaceSpecs } from './lambda-dataset';
import { createStats } from './stats';

const app = createEmulatorApp({
  dataset: datasetOf(
    parseWorkspaceSpecs(process.env.EMULATOR_WORKSPACES ?? ''),
    nowFromEnv(process.env.EMULATOR_NOW),
  ),
  faults: createFaults(),
  stats: createStats(),
});

/** The Function URL's handler. */
export const handler = handle(app);
