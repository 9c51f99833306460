/** The CLI's flags (design, "CLI"), parsed with node:util parseArgs and checked with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { REPORT_MODES, type ReportMode } from '../../lib/report/summary';

export const USAGE = `usage: npm run report -- --workspace <name> [--api-url URL] [--out DIR|s3://bucket/prefix]
                         [--mode full|summary] [--concurrency N] [--fanout] [--quiet]
With no API URL and no key (DEEPSET_API_URL, DEEPSET_API_KEY) it starts the embedded emulator and
reports on workspace "demo". Default --out: ./reports/<workspace>/<run_id>/`;

export interface CliArgs {
  workspace: string | undefined;
  apiUrl: string | undefined;
  out: string | undefined;
  mode: ReportMode;
  concurrency: number | undefined;
  fanout: boolean;
  quiet: boolean;
  help: boolean;
}

/** A flag that could not be used; the message names it. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const Flags = z.object({
  mode: z.enum(REPORT_MODES, { message: 'must be "full" or "summary"' }).default('full'),
  concurrency: z.coerce
    .number({ message: 'must be a whole number from 1 to 256' })
    .int({ message: 'must be a whole number from 1 to 256' })
    .min(1, { message: 'must be a whole number from 1 to 256' })
    .max(256, { message: 'must be a whole number from 1 to 256' })
    .optional(),
  'api-url': z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
});

export function parseCliArgs(argv: string[]): CliArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        workspace: { type: 'string', short: 'w' },
        'api-url': { type: 'string' },
        out: { type: 'string', short: 'o' },
        mode: { type: 'string' },
        concurrency: { type: 'string', short: 'c' },
        fanout: { type: 'boolean', default: false },
        quiet: { type: 'boolean', short: 'q', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const flags = Flags.safeParse(values);
  if (!flags.success) {
    const issue = flags.error.issues[0]!;
    throw new UsageError(`--${String(issue.path[0])} ${issue.message}`);
  }
  return {
    workspace: values.workspace as string | undefined,
    apiUrl: flags.data['api-url'],
    out: values.out as string | undefined,
    mode: flags.data.mode,
    concurrency: flags.data.concurrency,
    fanout: values.fanout === true,
    quiet: values.quiet === true,
    help: values.help === true,
  };
}
