/**
 * The answer to a parameter that fails its zod schema: 400 INVALID_PARAMETER, naming the
 * parameter and what is wrong with it (never echoing the value, which may be hostile).
 */
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import { errorBody } from './errors';

const WHERE: Record<string, string> = { param: 'path parameter', query: 'query parameter' };

/** OpenAPIHono `defaultHook`. */
export function validationHook(
  result: { target: string } & ({ success: true } | { success: false; error: ZodError }),
  c: Context,
): Response | undefined {
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const name = issue?.path.map(String).join('.') || result.target;
  const where = WHERE[result.target] ?? result.target;
  const message = `invalid ${where} "${name}": ${issue?.message ?? 'invalid value'}`;
  return c.json(errorBody('INVALID_PARAMETER', message), 400);
}
