import { codeAt } from './codes';
import type { CodeLevel, CodeVectors, Patent } from './types';

/**
 * Technology-code vectors at one level as the mean of the (L2-normalised) embeddings of the
 * patents that carry a code at that level (`H04L 27/26` counts for `H04L` at subclass level).
 * Codes too coarse for the level are skipped. Codes come out sorted so every backend and run sees
 * the same row order.
 */
export function meanOfPatentVectors(
  patents: readonly Pick<Patent, 'codes'>[],
  patentVectors: Float32Array,
  dim: number,
  level: CodeLevel,
): CodeVectors {
  if (patentVectors.length !== patents.length * dim) {
    throw new RangeError(`patent vectors hold ${patentVectors.length} values, expected ${patents.length}×${dim}`);
  }
  const codesOfPatent = patents.map((p) => new Set(p.codes.map((code) => codeAt(level, code)).filter((c): c is string => c !== null)));
  const codes = [...new Set(codesOfPatent.flatMap((set) => [...set]))].sort();
  const row = new Map(codes.map((code, index) => [code, index]));
  const vectors = new Float32Array(codes.length * dim);
  const counts = new Uint32Array(codes.length);
  codesOfPatent.forEach((patentCodes, p) => {
    for (const code of patentCodes) {
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
