import { describe, expect, it } from 'vitest';
import { InvalidKeyError, isValidKey, sortKeys, validateKey, validatePrefix } from '../../lib/store';

describe('validateKey', () => {
  it.each([
    ['../x', "'..' segment"],
    ['a/../b', "'..' segment"],
    ['a//b', 'empty segment'],
    ['a/./b', "'.' segment"],
    ['.', "'.' segment"],
    ['/abs', "starts with '/'"],
    ['a\\b', 'backslash'],
    ['..\\x', 'backslash'],
    ['a\u0000b', 'control character'],
    ['line\nbreak', 'control character'],
    ['esc\u001b[0m', 'control character'],
    ['c1\u0085', 'control character'],
    ['lone\ud800', 'unpaired surrogate'],
    ['', 'empty'],
    ['dir/', 'empty segment'],
    ['x'.repeat(1025), 'longer than 1024 bytes'],
    ['€'.repeat(342), 'longer than 1024 bytes'], // 1026 bytes, 342 characters
  ])('rejects %j (%s), naming the key', (key, reason) => {
    const error = (() => {
      try {
        validateKey(key);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidKeyError);
    expect((error as InvalidKeyError).name).toBe('InvalidKeyError');
    expect((error as InvalidKeyError).key).toBe(key);
    expect((error as Error).message).toContain(reason);
    expect((error as Error).message).toContain(JSON.stringify(key).slice(0, 40));
    expect(isValidKey(key)).toBe(false);
  });

  it.each([
    'summary.json',
    'acme/2024-05-01/20240501T020000Z-ab12/files.csv',
    'ünï/cödé 📄.csv',
    '...hidden/..x/x..',
    'a b/c+d=e@f',
    'x'.repeat(1024),
  ])('accepts %j', (key) => {
    expect(validateKey(key)).toBe(key);
    expect(isValidKey(key)).toBe(true);
  });

  it('keeps error messages short for huge keys', () => {
    expect(() => validateKey('y'.repeat(5000))).toThrow(/…\(5002 chars\)/);
  });
});

describe('validatePrefix', () => {
  it('accepts empty, key-like and slash-terminated prefixes', () => {
    for (const prefix of ['', 'acme', 'acme/', 'acme/2024-0', 'acme/2024-05-01/']) {
      expect(validatePrefix(prefix)).toBe(prefix);
    }
  });

  it('rejects traversal and empty segments', () => {
    for (const prefix of ['/', '../', '../x', 'a//', 'a//b/', '/abs/', 'a/./', 'a\\']) {
      expect(() => validatePrefix(prefix)).toThrow(InvalidKeyError);
    }
  });
});

describe('sortKeys', () => {
  it('orders by UTF-8 bytes like S3, not by UTF-16 code units', () => {
    expect(sortKeys(['b', '😀', '\uffef', 'B', 'a/b', 'a-b', 'é'])).toEqual([
      'B',
      'a-b',
      'a/b',
      'b',
      'é',
      '\uffef',
      '😀',
    ]);
    // JS's default sort disagrees on the astral character:
    expect(['😀', '\uffef'].sort()).toEqual(['😀', '\uffef']);
  });
});
