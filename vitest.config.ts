import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (emulator, s3rver) on port 0; 2 cores in CI.
    maxWorkers: 2,
  },
});
