import type { CodeLevel, CodeVectors, Patent } from './types';

/**
 * Technology-code vectors as the mean of the (L2-normalised) embeddings of the patents that carry
 * each code. Codes come out sorted so every backend and run sees the same row order.
 */
export function meanOfPatentVectors(
  patents: readonly Patent[],
  patentVectors: Float32Array,
  dim: number,
  level: CodeLevel,
): CodeVectors {
  if (patentVectors.length !== patents.length * dim) {
    throw new RangeError(`patent vectors hold ${patentVectors.length} values, expected ${patents.length}×${dim}`);
  }
  const codes = [...new Set(patents.flatMap((p) => p.codes))].sort();
  const row = new Map(codes.map((code, index) => [code, index]));
  const vectors = new Float32Array(codes.length * dim);
  const counts = new Uint32Array(codes.length);
  patents.forEach((patent, p) => {
    for (const code of new Set(patent.codes)) {
      const r = row.get(code) as number;
      counts[r]++;
      for (let d = 0; d < dim; d++) vectors[r * dim + d] += patentVectors[p * dim + d];
    }
  });
  for (let r = 0; r < codes.length; r++) {
    for (let d = 0; d < dim; d++) vectors[r * dim + d] /= counts[r];
  }
  return { level, method: 'mean-of-patents', codes, dim, vectors, counts };
}
