/** The CLI's flags, parsed with node:util parseArgs and checked with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { REPORT_MODES, type ReportMode } from '../../lib/report/summary';
import { apiUrlSchema, hoursSchema } from '../shared/config';

export const USAGE = `usage: npm run report -- --workspace <name> [--api-url URL] [--out DIR|s3://bucket/prefix]
                         [--mode full|summary] [--concurrency N] [--fanout [--batch-files N]] [--quiet] [--force]
                         [--previous DIR|s3://bucket/prefix/|none] [--stuck-after-hours N]
With no API URL and no key (DEEPSET_API_URL, DEEPSET_API_KEY) it starts the embedded emulator and
reports on workspace "demo". Default --out: ./reports/<workspace>/<run_id>/
--out DIR holds one run: a complete run replaces it whole; after a failed run it keeps the
previous complete run and failed-<run_id>.summary.json. DIR must hold nothing but a report.
--fanout runs the Step Functions workflow's steps in this process (plan, a worker per batch of
about --batch-files files, default 50000, then finalize); the report is the same, byte for byte.
With an s3:// destination the run takes the workspace's lease (one run at a time): a live run is
never taken over; one that died (its lease expired) only with --force.
A complete run that breaks an alert rule (ALERT_FAILURE_RATE_PCT, ALERT_NEW_FAILED,
ALERT_STUCK_FILES) prints each broken rule on stderr; --fail-on-alert then exits 3 instead of 0.
changes.csv lists what changed since the previous complete run of the workspace at the same
destination (latest.json's run on S3; the run already in a reused --out DIR; the newest run
beside a default folder). --previous names a run folder instead; --previous none turns it off.
A session with pending files created more than --stuck-after-hours before the run (default 24,
or STUCK_AFTER_HOURS) is stuck.`;

export interface CliArgs {
  workspace: string | undefined;
  apiUrl: string | undefined;
  out: string | undefined;
  mode: ReportMode;
  concurrency: number | undefined;
  fanout: boolean;
  /** Files per fan-out batch (only with --fanout). */
  batchFiles: number | undefined;
  quiet: boolean;
  /** Take over the lease of a run that died (expired), never a live one. */
  force: boolean;
  /** Exit 3 when a complete run breaks an alert rule. */
  failOnAlert: boolean;
  /** The run folder to compare with (a path or s3:// URL), or 'none'. */
  previous: string | undefined;
  stuckAfterHours: number | undefined;
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
  'api-url': apiUrlSchema.optional(),
  'stuck-after-hours': hoursSchema.optional(),
  previous: z.string().trim().min(1, { message: 'must name a run folder, or be "none"' }).optional(),
  'batch-files': z.coerce
    .number({ message: 'must be a whole number of files >= 1' })
    .int({ message: 'must be a whole number of files >= 1' })
    .min(1, { message: 'must be a whole number of files >= 1' })
    .optional(),
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
        'batch-files': { type: 'string' },
        quiet: { type: 'boolean', short: 'q', default: false },
        force: { type: 'boolean', default: false },
        'fail-on-alert': { type: 'boolean', default: false },
        previous: { type: 'string' },
        'stuck-after-hours': { type: 'string' },
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
  if (flags.data['batch-files'] !== undefined && values.fanout !== true) {
    throw new UsageError('--batch-files needs --fanout');
  }
  return {
    workspace: values.workspace as string | undefined,
    apiUrl: flags.data['api-url'],
    out: values.out as string | undefined,
    mode: flags.data.mode,
    concurrency: flags.data.concurrency,
    fanout: values.fanout === true,
    batchFiles: flags.data['batch-files'],
    quiet: values.quiet === true,
    force: values.force === true,
    failOnAlert: values['fail-on-alert'] === true,
    previous: flags.data.previous,
    stuckAfterHours: flags.data['stuck-after-hours'],
    help: values.help === true,
  };
}
