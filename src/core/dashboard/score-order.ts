/**
 * Pair numbers ordered by section, then score (best first), then pair number: the order of a
 * section's patent list. A comparator sort over 6.5 M pairs takes seconds in V8 (a closure call per
 * comparison); two stable counting passes over integer keys take a fraction of that.
 */

/**
 * The float32 score as an unsigned key that sorts *descending* by score when sorted ascending:
 * the usual IEEE trick (flip all bits of a negative, set the sign bit of a positive) makes the bit
 * patterns order like the numbers; inverting it makes larger scores come first. NaN (a pair that
 * does not count) gets the largest key, so it goes last. Prefilter cosines can be negative.
 */
function descendingKeys(score: Float32Array): Uint32Array {
  const bits = new Uint32Array(score.buffer, score.byteOffset, score.length);
  const keys = new Uint32Array(score.length);
  for (let i = 0; i < score.length; i++) {
    if (Number.isNaN(score[i])) {
      keys[i] = 0xffffffff;
      continue;
    }
    // -0 and +0 are the same score (they tie), so -0 takes +0's bits.
    const b = bits[i] === 0x80000000 ? 0 : bits[i];
    const ordered = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
    keys[i] = ~ordered >>> 0;
  }
  return keys;
}

/** Room for a pair's place in its section next to a 32-bit key inside a float64's 53 exact bits. */
const PLACE_BITS = 21;
const PLACE_SCALE = 2 ** PLACE_BITS;

/**
 * Pairs grouped by section (`start[s] … start[s+1]` in the result), each group best score first,
 * equal scores in pair order. One counting pass by section (stable, so each group is in pair
 * order), then each group sorted natively as float64s `key · 2^21 + place`: no comparator calls,
 * and the reads stay within one group instead of jumping over all pairs (radix passes over the
 * whole table were memory-bound).
 */
export function pairsBySection(section: Uint16Array | Int32Array, score: Float32Array, sectionCount: number): { start: Int32Array; pairs: Int32Array } {
  const keys = descendingKeys(score);
  const start = new Int32Array(sectionCount + 1);
  for (let i = 0; i < section.length; i++) start[section[i] + 1]++;
  for (let s = 0; s < sectionCount; s++) start[s + 1] += start[s];
  const fill = start.slice(0, sectionCount);
  const pairs = new Int32Array(section.length);
  for (let i = 0; i < section.length; i++) pairs[fill[section[i]]++] = i;
  let packed = new Float64Array(0);
  const group = new Int32Array(pairs.length === 0 ? 0 : maxGroup(start));
  for (let s = 0; s < sectionCount; s++) {
    const from = start[s];
    const n = start[s + 1] - from;
    if (n < 2) continue;
    if (n > PLACE_SCALE) {
      // A section with more than 2 M pairs: no room for the place, so sort with a comparator.
      pairs.subarray(from, from + n).sort((a, b) => keys[a] - keys[b] || a - b);
      continue;
    }
    if (packed.length < n) packed = new Float64Array(n);
    const view = packed.subarray(0, n);
    for (let j = 0; j < n; j++) view[j] = keys[pairs[from + j]] * PLACE_SCALE + j;
    view.sort();
    for (let j = 0; j < n; j++) group[j] = pairs[from + (view[j] % PLACE_SCALE)];
    pairs.set(group.subarray(0, n), from);
  }
  return { start, pairs };
}

function maxGroup(start: Int32Array): number {
  let most = 0;
  for (let s = 0; s + 1 < start.length; s++) most = Math.max(most, start[s + 1] - start[s]);
  return most;
}
