import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores on CI: more workers only add contention with DynamoDB Local's JVM.
    maxWorkers: 2,
    env: { NODE_NO_WARNINGS: '1' },
  },
});
