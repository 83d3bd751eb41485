import { defineConfig } from 'vitest/config';

// Browser journeys: headless Debian Chromium drives the built app served by `vite preview`
// (started in test/e2e/global-setup.ts). One file per user journey.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.ts'],
    pool: 'forks',
    fileParallelism: false,
    setupFiles: ['test/setup-env.ts'],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
