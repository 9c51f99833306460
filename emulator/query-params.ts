/**
 * Parsers for single query/path values with pydantic v2's lax-mode rules (what FastAPI
 * accepts from a query string). Each returns the value or the FastAPI error detail.
 */
import { parseUuid } from './uuid';
import {
  boolParsing,
  enumError,
  greaterThanEqual,
  intParsing,
  type Loc,
  lessThanEqual,
  uuidParsing,
  type ValidationDetail,
} from './validation-errors';

/** A parsed value, or the reason it was rejected. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: ValidationDetail };

const TRUE_WORDS = new Set(['1', 't', 'true', 'y', 'yes', 'on']);
const FALSE_WORDS = new Set(['0', 'f', 'false', 'n', 'no', 'off']);

/** An integer like pydantic reads it from a string: "10", " 10 ", "+10", "10.0", "1_000". */
export function parseInteger(
  loc: Loc,
  input: string,
  bounds: { le?: number; ge?: number } = {},
): Parsed<number> {
  const value = lenientInteger(input);
  if (value === undefined) return { ok: false, error: intParsing(loc, input) };
  if (bounds.le !== undefined && value > bounds.le)
    return { ok: false, error: lessThanEqual(loc, input, bounds.le) };
  if (bounds.ge !== undefined && value < bounds.ge) {
    return { ok: false, error: greaterThanEqual(loc, input, bounds.ge) };
  }
  return { ok: true, value };
}

function lenientInteger(input: string): number | undefined {
  const trimmed = input.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return Number(trimmed);
  const decimalZeros = /^([+-]?\d+)\.0*$/.exec(trimmed);
  if (decimalZeros) return Number(decimalZeros[1]);
  if (/^[+-]?\d+(_\d+)+$/.test(trimmed)) return Number(trimmed.replaceAll('_', ''));
  return undefined;
}

/** A boolean: true/false, 1/0, yes/no, on/off, t/f, y/n, case-insensitively (pydantic's list). */
export function parseBoolean(loc: Loc, input: string): Parsed<boolean> {
  const word = input.toLowerCase();
  if (TRUE_WORDS.has(word)) return { ok: true, value: true };
  if (FALSE_WORDS.has(word)) return { ok: true, value: false };
  return { ok: false, error: boolParsing(loc, input) };
}

/** One of `allowed`, matched exactly (pydantic enums are case-sensitive). */
export function parseEnum<T extends string>(loc: Loc, input: string, allowed: readonly T[]): Parsed<T> {
  const match = allowed.find((value) => value === input);
  return match === undefined
    ? { ok: false, error: enumError(loc, input, allowed) }
    : { ok: true, value: match };
}

/** A UUID in any form pydantic accepts, returned canonical (lower case, hyphenated). */
export function parseUuidParam(loc: Loc, input: string): Parsed<string> {
  const parsed = parseUuid(input);
  return parsed.ok
    ? { ok: true, value: parsed.uuid }
    : { ok: false, error: uuidParsing(loc, input, parsed.error) };
}
