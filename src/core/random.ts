/**
 * Seeded pseudo-random numbers for tests, benchmarks and demo data. Not for anything
 * security-related: mulberry32 has a 2^32 state and is chosen for speed and reproducibility.
 */

/** Returns a generator of floats in [0, 1); the same seed always gives the same sequence. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** rows×dim row-major matrix of standard normal samples (Box–Muller), drawn from `rng`. */
export function randomNormalMatrix(rng: () => number, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i += 2) {
    // 1 - rng() lies in (0, 1], so the logarithm stays finite.
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < out.length) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

/** One standard normal sample (Box–Muller, cosine branch); the demo generator's draws depend on this order. */
export function gaussian(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

export function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

/** A shuffled copy (Fisher–Yates, drawing from rng). */
export function shuffled<T>(rng: () => number, items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
