import { describe, expect, it } from 'vitest';
import { attachmentDisposition, checkPresignOptions, MAX_PRESIGN_SECONDS } from '../../lib/store';

describe('checkPresignOptions', () => {
  it('accepts 1..900 seconds and defaults the filename to the last key segment', () => {
    expect(MAX_PRESIGN_SECONDS).toBe(900);
    expect(checkPresignOptions('w/r/files.csv', { expiresInSeconds: 1 })).toEqual({
      expiresInSeconds: 1,
      contentDisposition: `attachment; filename="files.csv"; filename*=UTF-8''files.csv`,
      contentType: undefined,
    });
    expect(checkPresignOptions('a', { expiresInSeconds: 900, contentType: 'text/csv' }).contentType).toBe(
      'text/csv',
    );
  });

  it.each([901, 0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'rejects %d seconds with a RangeError',
    (seconds) => {
      expect(() => checkPresignOptions('a', { expiresInSeconds: seconds })).toThrow(RangeError);
    },
  );

  it('rejects header injection through the content type, and an empty download name', () => {
    expect(() =>
      checkPresignOptions('a', { expiresInSeconds: 60, contentType: 'text/csv\r\nX-Evil: 1' }),
    ).toThrow(RangeError);
    expect(() => checkPresignOptions('a', { expiresInSeconds: 60, downloadName: '' })).toThrow(RangeError);
  });
});

describe('attachmentDisposition', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachmentDisposition('résumé "1" 100%.csv')).toBe(
      `attachment; filename="r_sum_ _1_ 100_.csv"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%221%22%20100%25.csv`,
    );
  });

  it('cannot be broken out of by quotes, backslashes or line breaks', () => {
    const header = attachmentDisposition('a"; filename="evil.exe\\\r\nX-Injected: 1');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).toContain(`filename*=UTF-8''a%22%3B%20filename%3D%22evil.exe%5C%0D%0AX-Injected%3A%201`);
  });

  it("percent-encodes RFC 8187's non-attr-chars ' ( ) *", () => {
    expect(attachmentDisposition("it's (a)*.csv")).toContain(`filename*=UTF-8''it%27s%20%28a%29%2A.csv`);
  });

  it('replaces each astral character by one underscore in the fallback', () => {
    expect(attachmentDisposition('📄.csv')).toContain('filename="_.csv"');
  });
});
