import { mulberry32 } from '../random';

/**
 * Monte-Carlo twin of the null model: degree-preserving randomisation of a bipartite
 * patent–code graph by edge swaps ((p1,c1),(p2,c2)) → ((p1,c2),(p2,c1)), rejected when it would
 * give a patent the same code twice. Every patent keeps d_p and every code k_i. Slow by design;
 * it exists to check the closed form, not to label data.
 */
export interface EdgeSwapOptions {
  seed: number;
  samples: number;
  /** Swap attempts per edge before the first sample and between samples. */
  swapsPerEdge?: number;
}

/**
 * Mean co-occurrence count of each pair (keyed i*codeCount+j, i<j) over `samples` randomised
 * graphs. `offsets`/`codes` are the window's patents as CSR rows of distinct code ids.
 */
export function edgeSwapMeanCooccurrence(
  offsets: Uint32Array,
  codes: Uint32Array,
  codeCount: number,
  options: EdgeSwapOptions,
): Map<number, number> {
  const rng = mulberry32(options.seed);
  const edges = codes.length;
  const codeOf = Uint32Array.from(codes);
  const patentOf = new Uint32Array(edges);
  for (let p = 0; p + 1 < offsets.length; p++) patentOf.fill(p, offsets[p], offsets[p + 1]);
  const hasCode = (p: number, code: number): boolean => {
    for (let e = offsets[p]; e < offsets[p + 1]; e++) if (codeOf[e] === code) return true;
    return false;
  };
  const shuffle = (attempts: number): void => {
    for (let t = 0; t < attempts; t++) {
      const e1 = Math.floor(rng() * edges);
      const e2 = Math.floor(rng() * edges);
      const p1 = patentOf[e1];
      const p2 = patentOf[e2];
      const c1 = codeOf[e1];
      const c2 = codeOf[e2];
      if (p1 === p2 || c1 === c2 || hasCode(p1, c2) || hasCode(p2, c1)) continue;
      codeOf[e1] = c2;
      codeOf[e2] = c1;
    }
  };
  const sums = new Map<number, number>();
  const attempts = Math.ceil((options.swapsPerEdge ?? 10) * edges);
  for (let s = 0; s < options.samples; s++) {
    shuffle(attempts);
    for (let p = 0; p + 1 < offsets.length; p++) {
      for (let a = offsets[p]; a < offsets[p + 1]; a++) {
        for (let b = a + 1; b < offsets[p + 1]; b++) {
          const i = Math.min(codeOf[a], codeOf[b]);
          const j = Math.max(codeOf[a], codeOf[b]);
          const key = i * codeCount + j;
          sums.set(key, (sums.get(key) ?? 0) + 1);
        }
      }
    }
  }
  for (const [key, sum] of sums) sums.set(key, sum / options.samples);
  return sums;
}
