/**
 * Benchmark, not a test: may the patent map's UMAP share the compute worker with nearest-code
 * queries? A worker answers one message at a time, so a query waits for the longest stretch
 * UMAP runs without yielding. This measures that stretch (the event loop's largest delay, from a
 * 5 ms probe timer) over a whole UMAP run at 5k points (exact k-NN) and 12k points (approximate
 * k-NN), beside the time one nearest-codes query takes (CPU twin, 600 codes × 384). Writes
 * bench-results/compute-queue.json; nothing is asserted about time.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { umap } from '../../src/core/layout/umap';
import { mulberry32, randomNormalMatrix } from '../../src/core/random';
import { similarityTopK } from '../../src/core/similarity';

const DIM = 384;
const SIZES = [5_000, 12_000];
const PROBE_MS = 5;
const results: Record<string, unknown> = { dim: DIM, probeMs: PROBE_MS, node: process.version, cpu: `${cpus()[0]?.model ?? 'unknown'} ×${cpus().length}`, runs: [] as unknown[] };

/** Largest delay of a PROBE_MS timer while `work` runs: the longest a queued message would wait. */
async function longestBlock(work: () => Promise<unknown>): Promise<{ maxDelayMs: number; p99DelayMs: number; totalMs: number; probes: number }> {
  const delays: number[] = [];
  let expected = performance.now() + PROBE_MS;
  const timer = setInterval(() => {
    const now = performance.now();
    delays.push(Math.max(0, now - expected));
    expected = now + PROBE_MS;
  }, PROBE_MS);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  delays.sort((a, b) => a - b);
  return {
    maxDelayMs: delays.at(-1) ?? 0,
    p99DelayMs: delays[Math.floor(delays.length * 0.99)] ?? 0,
    totalMs: performance.now() - started,
    probes: delays.length,
  };
}

describe('compute worker queueing', () => {
  it('measures the longest UMAP stretch without a yield, and one nearest-codes query', async () => {
    const codes = randomNormalMatrix(mulberry32(1), 600, DIM);
    const queryStart = performance.now();
    const topK = similarityTopK(codes, 600, DIM, 10, true);
    results.nearestCodesQueryMs = performance.now() - queryStart;
    expect(topK.indices.length).toBe(600 * 10);
    for (const n of SIZES) {
      const vectors = randomNormalMatrix(mulberry32(n), n, DIM);
      let epochs = 0;
      const block = await longestBlock(async () => {
        const result = await umap(vectors, n, DIM, { components: 2, seed: 0, epochs: 100 });
        epochs = result.epochs;
        expect(result.coordinates.length).toBe(n * 2);
      });
      (results.runs as unknown[]).push({ points: n, epochs, ...block });
      console.log(`UMAP ${n} points: total ${(block.totalMs / 1000).toFixed(1)} s, longest block ${block.maxDelayMs.toFixed(0)} ms, p99 ${block.p99DelayMs.toFixed(0)} ms`);
    }
    mkdirSync('bench-results', { recursive: true });
    writeFileSync('bench-results/compute-queue.json', `${JSON.stringify(results, null, 1)}\n`);
  });
});
