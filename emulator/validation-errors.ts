/**
 * Builders for FastAPI's 422 body (`{"detail": [...]}`), with pydantic v2's error types,
 * messages and `ctx` exactly as FastAPI serialises them (no `url`; a ValueError in `ctx`
 * becomes `{}`), so clients are tested against the shape the real API sends.
 */

/** Where the invalid value was: `["query", "limit"]`, `["path", "session_id"]`. */
export type Loc = readonly ['query' | 'path', string];

/** One entry of FastAPI's `detail` array. */
export interface ValidationDetail {
  type: string;
  loc: string[];
  msg: string;
  input: unknown;
  ctx?: Record<string, unknown>;
}

/** The 422 body: every invalid parameter at once. */
export function validationErrorBody(details: ValidationDetail[]): { detail: ValidationDetail[] } {
  return { detail: details };
}

function detail(type: string, loc: Loc, msg: string, input: unknown, ctx?: Record<string, unknown>) {
  const entry: ValidationDetail = { type, loc: [...loc], msg, input };
  if (ctx) entry.ctx = ctx;
  return entry;
}

/** pydantic `int_parsing`: the string is not an integer. */
export function intParsing(loc: Loc, input: string): ValidationDetail {
  return detail(
    'int_parsing',
    loc,
    'Input should be a valid integer, unable to parse string as an integer',
    input,
  );
}

/** pydantic `less_than_equal` (`le` constraint). */
export function lessThanEqual(loc: Loc, input: string, le: number): ValidationDetail {
  return detail('less_than_equal', loc, `Input should be less than or equal to ${le}`, input, { le });
}

/** pydantic `greater_than_equal` (`ge` constraint). */
export function greaterThanEqual(loc: Loc, input: string, ge: number): ValidationDetail {
  return detail('greater_than_equal', loc, `Input should be greater than or equal to ${ge}`, input, { ge });
}

/** pydantic `uuid_parsing`; `error` is the uuid crate's own description of the problem. */
export function uuidParsing(loc: Loc, input: string, error: string): ValidationDetail {
  return detail('uuid_parsing', loc, `Input should be a valid UUID, ${error}`, input, { error });
}

/** pydantic `bool_parsing`. */
export function boolParsing(loc: Loc, input: string): ValidationDetail {
  return detail('bool_parsing', loc, 'Input should be a valid boolean, unable to interpret input', input);
}

/** pydantic `enum`: "Input should be 'ASC' or 'DESC'". */
export function enumError(loc: Loc, input: string, allowed: readonly string[]): ValidationDetail {
  const expected = expectedList(allowed);
  return detail('enum', loc, `Input should be ${expected}`, input, { expected });
}

/** A `ValueError` raised by a validator: FastAPI serialises the exception in `ctx` as `{}`. */
export function valueError(loc: Loc, input: unknown, message: string): ValidationDetail {
  return detail('value_error', loc, `Value error, ${message}`, input, { error: {} });
}

/** pydantic's wording: `'a', 'b' or 'c'`. */
function expectedList(allowed: readonly string[]): string {
  const quoted = allowed.map((value) => `'${value}'`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}
