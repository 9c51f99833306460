/**
 * UUID parsing as pydantic v2 does it (through the Rust `uuid` crate): the same accepted forms
 * (simple, hyphenated, braced, `urn:uuid:`; any case) and the same error descriptions, so a
 * 422 for a bad `before`/`after`/`session_id` reads like the real API's.
 */

/** The canonical (lower-case, hyphenated) UUID, or the uuid crate's error text. */
export type UuidParse = { ok: true; uuid: string } | { ok: false; error: string };

const HYPHENATED = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const SIMPLE = /^[0-9a-fA-F]{32}$/;
const GROUP_STARTS = [0, 9, 14, 19, 24] as const;
const GROUP_LENGTHS = [8, 4, 4, 4, 12] as const;

/** Parses `input` like `uuid::Uuid::parse_str`. */
export function parseUuid(input: string): UuidParse {
  const hex = acceptedHex(input);
  if (hex !== undefined) return { ok: true, uuid: canonical(hex) };
  return { ok: false, error: describeInvalidUuid(input) };
}

function acceptedHex(input: string): string | undefined {
  if (input.length === 32 && SIMPLE.test(input)) return input;
  let body = input;
  if (input.length === 38 && input.startsWith('{') && input.endsWith('}')) body = input.slice(1, -1);
  else if (input.length === 45 && input.startsWith('urn:uuid:')) body = input.slice(9);
  return HYPHENATED.test(body) ? body.replaceAll('-', '') : undefined;
}

function canonical(hex: string): string {
  const h = hex.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A port of `uuid::error::InvalidUuid::into_err` (uuid 1.x), messages included. */
function describeInvalidUuid(input: string): string {
  const byteLength = Buffer.byteLength(input, 'utf8');
  let body = input;
  let offset = 0;
  let simple = true;
  if (input.length >= 2 && input.startsWith('{') && input.endsWith('}')) {
    [body, offset, simple] = [input.slice(1, -1), 1, false];
  } else if (input.startsWith('urn:uuid:')) {
    [body, offset, simple] = [input.slice(9), 9, false];
  }
  const hyphens: number[] = [];
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!;
    if (character === '-') hyphens.push(index);
    else if (!/[0-9a-fA-F]/.test(character)) {
      // Every earlier character was ASCII, so the UTF-16 index equals the crate's byte index.
      const whole = String.fromCodePoint(body.codePointAt(index)!);
      return `invalid character: expected an optional prefix of \`urn:uuid:\` followed by [0-9a-fA-F-], found \`${whole}\` at ${index + offset + 1}`;
    }
  }
  if (hyphens.length === 0 && simple) {
    return `invalid length: expected length 32 for simple format, found ${byteLength}`;
  }
  if (hyphens.length !== 4) return `invalid group count: expected 5, found ${hyphens.length + 1}`;
  for (let group = 0; group < 4; group++) {
    const start = GROUP_STARTS[group]!;
    if (hyphens[group] !== GROUP_STARTS[group + 1]! - 1) {
      return groupLength(group, hyphens[group]! - start);
    }
  }
  return groupLength(4, byteLength - GROUP_STARTS[4]);
}

function groupLength(group: number, found: number): string {
  return `invalid group length in group ${group}: expected ${GROUP_LENGTHS[group]}, found ${found}`;
}
