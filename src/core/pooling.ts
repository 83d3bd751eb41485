/**
 * Mean of token vectors over positions whose attention mask is 1 (padding excluded), per sequence.
 * hidden: batch × seqLen × dim row-major; mask: batch × seqLen of 0/1.
 */
export function meanPoolMasked(
  hidden: Float32Array,
  mask: ArrayLike<number | bigint>,
  batch: number,
  seqLen: number,
  dim: number,
): Float32Array {
  if (hidden.length !== batch * seqLen * dim) {
    throw new RangeError(`hidden has ${hidden.length} values, expected ${batch}×${seqLen}×${dim}`);
  }
  const out = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) {
    let count = 0;
    for (let t = 0; t < seqLen; t++) {
      if (Number(mask[b * seqLen + t]) === 0) continue;
      count++;
      const offset = (b * seqLen + t) * dim;
      for (let d = 0; d < dim; d++) out[b * dim + d] += hidden[offset + d];
    }
    if (count > 0) for (let d = 0; d < dim; d++) out[b * dim + d] /= count;
  }
  return out;
}
