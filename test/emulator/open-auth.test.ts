/**
 * What only the emulator does about keys: with no --api-key it accepts any non-empty bearer key.
 * The error answers every target shares (422, 401, 403, 404) are in conformance/errors.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/server';
import { get, NOW, sessionsPath } from './helpers';

describe('auth without a configured key', () => {
  it('accepts any non-empty key, and still refuses a missing one', async () => {
    const open = await startEmulator({ port: 0, sessions: 1, maxFiles: 1, now: NOW });
    try {
      const answer = await get(open, sessionsPath(), {}, { authorization: 'bearer anything' });
      expect(answer.status).toBe(200);
      expect((await get(open, sessionsPath(), {}, {})).status).toBe(401);
    } finally {
      await open.close();
    }
  });
});
