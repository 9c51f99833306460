/**
 * Stages: the same app deployed more than once in one account (`-c stage=dev` beside
 * `-c stage=prod`). A stage names the two stacks and presets the values that usually differ
 * between a playground and production: how long runs and logs are kept, who is paged, how much
 * Lambda concurrency is reserved, when the nightly run fires. Any preset yields to a `-c` value,
 * then to the stage's entry in the `stages` context (cdk.json), then to the preset in code.
 *
 * `dev` is disposable: its data stack deletes the buckets (emptying them first), the secrets and
 * the user pool with the stack, and has no termination protection. `prod` keeps them.
 */
import { InfraConfigError, type InfraContextKey } from './config';

/** The stages `-c stage=` accepts. */
export const STAGE_NAMES = ['dev', 'prod'] as const;

/** The stage `cdk synth` and `cdk deploy` use without `-c stage`: the one that keeps its data. */
export const DEFAULT_STAGE = 'prod';

/** The context keys a stage presets. */
export const STAGE_KEYS = [
  'runRetentionDays',
  'logRetentionDays',
  'alarmEmail',
  'httpReservedConcurrency',
  'nightlyReservedConcurrency',
  'fanoutMaxConcurrency',
  'scheduleCron',
] as const satisfies readonly InfraContextKey[];

/** A stage's presets, one value per `STAGE_KEYS` entry. */
export type StagePresets = Record<(typeof STAGE_KEYS)[number], string | number>;

/** A stage: its name, whether its data may be thrown away, and its presets. */
export interface StageSettings {
  /** Lowercase letters and digits; part of the stack names and the hosted-UI domain. */
  readonly name: string;
  /**
   * True: the data stack's buckets (emptied first), secrets and user pool go with the stack,
   * and termination protection is off. False: all of them are retained and protected.
   */
  readonly disposable: boolean;
}

/** The presets of each stage, as cdk.json's `stages` repeats them. */
export const STAGE_PRESETS: Record<(typeof STAGE_NAMES)[number], StagePresets> = {
  dev: {
    runRetentionDays: 7,
    logRetentionDays: 7,
    alarmEmail: '',
    httpReservedConcurrency: 2,
    nightlyReservedConcurrency: 1,
    fanoutMaxConcurrency: 2,
    // After the working day has started, when someone looks at a failed dev run.
    scheduleCron: 'cron(0 7 * * ? *)',
  },
  prod: {
    runRetentionDays: 90,
    logRetentionDays: 30,
    alarmEmail: '',
    httpReservedConcurrency: 10,
    nightlyReservedConcurrency: 1,
    fanoutMaxConcurrency: 8,
    scheduleCron: 'cron(0 3 * * ? *)',
  },
};

/** Whether each stage's data is disposable. */
const DISPOSABLE: Record<(typeof STAGE_NAMES)[number], boolean> = { dev: true, prod: false };

/** The CloudFormation stack names of a stage, e.g. `IngestionReports-prod-Data`. */
export function stackNames(stage: string): { data: string; service: string } {
  return { data: `IngestionReports-${stage}-Data`, service: `IngestionReports-${stage}-Service` };
}

/** The settings of `name` (`undefined` or '': the default stage); an unknown name fails synth. */
export function stageSettings(name: unknown): StageSettings {
  const stage = name === undefined || name === '' ? DEFAULT_STAGE : name;
  if (!STAGE_NAMES.includes(stage as never)) {
    const got = JSON.stringify(name);
    throw new InfraConfigError('stage', `expected one of ${STAGE_NAMES.join(', ')} (got ${got})`);
  }
  const known = stage as (typeof STAGE_NAMES)[number];
  return { name: known, disposable: DISPOSABLE[known] };
}

/**
 * The value of `key` for `stage` when no `-c` value is given: the `stages` context's entry for
 * the stage (cdk.json), else the preset in code; undefined for keys a stage does not preset.
 */
export function stageValue(
  stage: string,
  key: InfraContextKey,
  stagesContext: Record<string, Record<string, unknown>> | undefined,
): unknown {
  if (!(STAGE_KEYS as readonly string[]).includes(key)) return undefined;
  const fromContext = stagesContext?.[stage]?.[key];
  if (fromContext !== undefined) return fromContext;
  return STAGE_PRESETS[stage as keyof typeof STAGE_PRESETS]?.[key as keyof StagePresets];
}
