import { defineConfig } from 'vitest/config';

// `npm run bench`: benchmarks run as ordinary vitest files, one fork each, so the GPU kernels
// share the Dawn setup of the unit tests (test/setup-env.ts). SwiftShader runs the 2,000 × 384
// cosine matrix at ~1 GFLOP/s and the naive JS loop is slower still, hence the long timeout.
export default defineConfig({
  test: {
    include: ['test/bench/**/*.bench.ts'],
    pool: 'forks',
    setupFiles: ['test/setup-env.ts'],
    testTimeout: 15 * 60_000,
    hookTimeout: 120_000,
  },
});
