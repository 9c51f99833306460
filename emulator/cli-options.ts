/**
 * The emulator's command-line flags (node:util parseArgs), checked with zod: a bad value is a
 * `CliUsageError` with one line naming the flag. The API key is never part of a message.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { Fault, Faults } from './faults';
import type { EmulatorOptions } from './server';

/** A flag or value the emulator cannot use; `main` prints the message and exits 2. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

/** The usage text for --help. */
export const USAGE = `Usage: npm run emulator -- [flags]
  --port N            port to listen on (default 8787; 0 = any free port)
  --host HOST         address to bind (default 127.0.0.1)
  --seed N            data seed (default 1)
  --workspace NAME    workspace name (default demo)
  --sessions N        number of sessions (default 40)
  --max-files N       files in the largest session (default 3000)
  --api-key KEY       accept only this bearer key (default: any non-empty key)
  --unknown-enums     also emit enum values the docs do not list
  --latency MS        delay before every answer
  --rate-429 P        probability of a 429 (Retry-After from --retry-after, default 1)
  --rate-5xx P        probability of a 502/503/504
  --rate-hang P       probability of a request that never answers
  --rate-truncate P   probability of a 200 with a JSON body cut in half
  --html-errors       429 and 5xx bodies as a proxy's HTML page
  --retry-after V     Retry-After value for --rate-429: seconds or an HTTP date
  --max-rps N         answer 429 beyond N requests per second
  --vanish N          N listed sessions answer 404 for their files
  --nights N          move the data N nights forward (pending files settle, files come
                      and go, a new session a night), to compare two reports
  --help              show this text`;

const FLAGS = {
  port: { type: 'string' },
  host: { type: 'string' },
  seed: { type: 'string' },
  workspace: { type: 'string' },
  sessions: { type: 'string' },
  'max-files': { type: 'string' },
  'api-key': { type: 'string' },
  'unknown-enums': { type: 'boolean' },
  latency: { type: 'string' },
  'rate-429': { type: 'string' },
  'rate-5xx': { type: 'string' },
  'rate-hang': { type: 'string' },
  'rate-truncate': { type: 'string' },
  'html-errors': { type: 'boolean' },
  'retry-after': { type: 'string' },
  'max-rps': { type: 'string' },
  vanish: { type: 'string' },
  nights: { type: 'string' },
  help: { type: 'boolean' },
} as const;

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\s*\d+\s*$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
const probability = z
  .string()
  .regex(/^\s*(\d+(\.\d*)?|\.\d+)\s*$/)
  .transform(Number)
  .pipe(z.number().max(1));
const retryAfter = z.string().refine((v) => /^\d+$/.test(v) || !Number.isNaN(Date.parse(v)));
const workspaceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/);

/** Everything the CLI starts the emulator with. */
export interface CliOptions {
  help: boolean;
  emulator: EmulatorOptions & { port: number; host: string };
  /** How many listed sessions to make vanish once the data exists. */
  vanish: number;
  /** How many nights to move the data forward (advanceNight) before serving it. */
  nights: number;
}

/** Parses argv (without node and the script); throws `CliUsageError` on any bad flag. */
export function parseCliOptions(argv: string[]): CliOptions {
  const values = parseFlags(argv);
  const flag = flagReader(values);
  return {
    help: values.help === true,
    vanish: flag('vanish', integer(0, 1_000_000), 'a non-negative integer', 0),
    nights: flag('nights', integer(0, 365), 'an integer from 0 to 365', 0),
    emulator: {
      port: flag('port', integer(0, 65_535), 'an integer from 0 to 65535', 8787),
      host: flag('host', z.string().min(1), 'a host name or address', '127.0.0.1'),
      seed: flag('seed', integer(0, 2 ** 32 - 1), 'an integer from 0 to 4294967295', 1),
      workspace: flag('workspace', workspaceName, 'a workspace name (letters, digits, _ and -)', 'demo'),
      sessions: flag('sessions', integer(0, 100_000), 'an integer from 0 to 100000', 40),
      maxFiles: flag('max-files', integer(0, 1_000_000), 'an integer from 0 to 1000000', 3000),
      apiKey: flag('api-key', z.string().trim().min(1), 'a non-empty key', undefined),
      unknownEnums: values['unknown-enums'] === true,
      faults: faultOptions(flag, values['html-errors'] === true),
    },
  };
}

type FlagValues = ReturnType<typeof parseFlags>;
type FlagReader = <T>(
  name: keyof typeof FLAGS,
  schema: z.ZodType<T, string>,
  expectation: string,
  fallback: T,
) => T;

/** Reads one flag through its schema; the message names the flag and (except for the key) the value. */
function flagReader(values: FlagValues): FlagReader {
  return (name, schema, expectation, fallback) => {
    const raw = values[name];
    if (raw === undefined || typeof raw === 'boolean') return fallback;
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const shown = name === 'api-key' ? '' : ` (got "${raw}")`;
    throw new CliUsageError(`--${name} must be ${expectation}${shown}`);
  };
}

function faultOptions(flag: FlagReader, html: boolean): Partial<Faults> {
  const chance = 'a probability from 0 to 1';
  const random = randomFaults({
    rateLimit: flag('rate-429', probability, chance, 0),
    serverError: flag('rate-5xx', probability, chance, 0),
    hang: flag('rate-hang', probability, chance, 0),
    truncate: flag('rate-truncate', probability, chance, 0),
    html,
    retryAfter: flag('retry-after', retryAfter, 'a number of seconds or an HTTP date', '1'),
  });
  return {
    latencyMs: flag('latency', integer(0, 600_000), 'milliseconds from 0 to 600000', 0),
    maxRequestsPerSecond: flag('max-rps', integer(1, 1_000_000), 'a positive integer', undefined),
    random,
  };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    const oneLine = (error as Error).message.replace(/\s*\n\s*/g, ' ');
    throw new CliUsageError(`${oneLine} (see --help)`, { cause: error });
  }
}

interface RandomFaultRates {
  rateLimit: number;
  serverError: number;
  hang: number;
  truncate: number;
  html: boolean;
  retryAfter: string;
}

function randomFaults(rates: RandomFaultRates): Faults['random'] {
  const total = rates.rateLimit + rates.serverError + rates.hang + rates.truncate;
  if (total > 1)
    throw new CliUsageError(
      `--rate-429, --rate-5xx, --rate-hang and --rate-truncate add up to ${total}: at most 1`,
    );
  const entries: { fault: Fault; probability: number }[] = [
    {
      fault: { kind: 'rate-limit', html: rates.html, retryAfter: rates.retryAfter },
      probability: rates.rateLimit,
    },
    ...[502, 503, 504].map((status) => ({
      fault: { kind: 'server-error', status, html: rates.html } satisfies Fault,
      probability: rates.serverError / 3,
    })),
    { fault: { kind: 'hang' }, probability: rates.hang },
    { fault: { kind: 'truncate' }, probability: rates.truncate },
  ];
  return entries.filter((entry) => entry.probability > 0);
}
