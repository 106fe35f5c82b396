import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Two cores on CI: more workers only add contention with DynamoDB Local's JVM.
    maxWorkers: 2,
    env: { NODE_NO_WARNINGS: '1' },
    projects: [
      // `npm run test:unit`: pure code with fakes; no bundles, no emulators.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      // Bundles every function and starts one DynamoDB Local for the run (test/helpers/global-setup.ts).
      {
        extends: true,
        test: {
          name: 'emulators',
          include: ['test/integration/**/*.test.ts', 'test/infra/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
        },
      },
    ],
  },
});
