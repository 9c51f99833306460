/**
 * RUN_LEASE_SECONDS: how long a run's workspace lease lasts unrefreshed (default 60 s), for the
 * processes that run reports on this machine (`npm start`, the CLI). A shorter lease frees the
 * workspace of a killed run sooner, and a lost lease is noticed sooner.
 */
import { z } from 'zod';
import { optionalWholeNumber, parseEnv } from './config';

export function runLeaseFromEnv(env: NodeJS.ProcessEnv): { leaseTtlMs?: number } {
  const { RUN_LEASE_SECONDS: seconds } = parseEnv(z.object({ RUN_LEASE_SECONDS: optionalWholeNumber }), env);
  return seconds === undefined ? {} : { leaseTtlMs: seconds * 1000 };
}
