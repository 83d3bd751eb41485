import { defineConfig } from 'vitest/config';

// Unit and GPU-kernel tests run in Node. Dawn (the `webgpu` package) needs the
// SwiftShader Vulkan ICD path in the environment before it loads: see test/setup-env.ts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**'],
    pool: 'forks',
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
