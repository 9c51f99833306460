/**
 * The data the emulator's Lambda function serves, from its environment: several workspaces in
 * one dataset, each generated from its own seed, all at a pinned "now".
 */
import { type Dataset, generateDataset } from './dataset';

/** One workspace to generate. */
export interface WorkspaceSpec {
  name: string;
  sessions: number;
  maxFiles: number;
}

const SPEC = /^([A-Za-z0-9][A-Za-z0-9_-]{0,127}):(\d+):(\d+)$/;

/** Parses EMULATOR_WORKSPACES; throws naming the entry it cannot read. */
export function parseWorkspaceSpecs(text: string): WorkspaceSpec[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0)
    throw new Error('EMULATOR_WORKSPACES is empty: expected name:sessions:maxFiles,...');
  return entries.map((entry) => {
    const match = SPEC.exec(entry);
    if (!match)
      throw new Error(`EMULATOR_WORKSPACES: cannot read "${entry}" (expected name:sessions:maxFiles)`);
    return { name: match[1]!, sessions: Number(match[2]), maxFiles: Number(match[3]) };
  });
}

/** One dataset holding every workspace of `specs`, each from its own seed (1, 2, ...). */
export function datasetOf(specs: readonly WorkspaceSpec[], now: Date): Dataset {
  const workspaces = new Map(
    specs.map((spec, index) => {
      const generated = generateDataset({ ...spec, workspace: spec.name, seed: index + 1, now });
      return [spec.name, generated.workspaces.get(spec.name)!] as const;
    }),
  );
  return { workspaces, version: 1 };
}

/** EMULATOR_NOW as a date; throws when it is not one. */
export function nowFromEnv(value: string | undefined): Date {
  const now = new Date(value ?? '');
  if (Number.isNaN(now.getTime())) throw new Error('EMULATOR_NOW must be an ISO 8601 date');
  return now;
}
