import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../lib/api/options';

const KEY = 'sk-options-secret';

describe('resolveOptions', () => {
  it('applies the documented defaults and trims the base URL and key', () => {
    expect(resolveOptions({ baseUrl: 'https://api.cloud.deepset.ai/api/v1/', apiKey: ` ${KEY}\n` })).toEqual({
      baseUrl: 'https://api.cloud.deepset.ai/api/v1',
      apiKey: KEY,
      concurrency: 16,
      timeoutMs: 30_000,
      maxAttempts: 6,
      baseDelayMs: 250,
      maxDelayMs: 20_000,
      maxRetryAfterMs: 60_000,
    });
  });

  it('names the bad option', () => {
    expect(() => resolveOptions({ baseUrl: 'http://x/api/v1', apiKey: KEY, concurrency: 0 })).toThrow(
      /invalid client options: concurrency: /,
    );
    expect(() => resolveOptions({ baseUrl: 'ftp://x', apiKey: KEY })).toThrow(
      /baseUrl must be an http\(s\) URL/,
    );
    expect(() => resolveOptions({ baseUrl: 'http://u:p@x/api/v1', apiKey: KEY })).toThrow(/credentials/);
  });

  it('rejects a malformed key without echoing it', () => {
    const badKey = `${KEY}\r\nX-Injected: 1`;
    let message = '';
    try {
      resolveOptions({ baseUrl: 'http://x/api/v1', apiKey: badKey });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/apiKey must be/);
    expect(message).not.toContain(KEY);
    expect(() => resolveOptions({ baseUrl: 'http://x/api/v1', apiKey: '' })).toThrow(/apiKey/);
  });
});
