/**
 * A first, approximate cosine k-NN graph in O(n log n): a few random projection trees (as in
 * Annoy and pynndescent) split the points by hyperplanes between two random members until leaves
 * are small, and every pair within a leaf is scored exactly. Close points share a leaf in most
 * trees; those split apart are recovered by refineKnn (neighbours of neighbours). Seeded.
 *
 * Cosine on L2-normalised rows by default. With `halfNorms` (|x|²/2 per row) it ranks by Euclidean
 * distance instead, as a·b − |b|²/2 = −|a − b|²/2 + const, and reports |a − b|²/2 as the distance:
 * on PCA coordinates of unit vectors that estimates the cosine distance 1 − cos = |a − b|²/2.
 */
import { throwIfAborted } from '../abort';
import { mulberry32 } from '../random';
import { nextTurn, type NeighbourGraph } from './knn';

export interface ForestOptions {
  trees?: number;
  leafSize?: number;
  seed?: number;
  /** |x|²/2 per row: Euclidean ranking (see above); absent, cosine on unit rows. */
  halfNorms?: Float64Array;
}

const DEFAULT_TREES = 4;
const DEFAULT_LEAF_SIZE = 96;

/** `unit` must hold L2-normalised rows. Yields to the event loop between trees. */
export async function forestKnn(
  unit: Float32Array, n: number, dim: number, requestedK: number, options: ForestOptions = {}, signal?: AbortSignal,
): Promise<NeighbourGraph> {
  const k = Math.max(0, Math.min(requestedK, n - 1));
  const leafSize = Math.max(options.leafSize ?? DEFAULT_LEAF_SIZE, k + 1);
  const rng = mulberry32(options.seed ?? 0);
  const indices = new Int32Array(n * k).fill(-1);
  const scores = new Float64Array(n * k).fill(-Infinity);
  const halfNorms = options.halfNorms ?? null;
  for (let tree = 0; tree < (options.trees ?? DEFAULT_TREES); tree++) {
    for (const leaf of treeLeaves(unit, n, dim, leafSize, rng)) scoreLeaf(unit, dim, leaf, indices, scores, k, halfNorms);
    await nextTurn();
    throwIfAborted(signal);
  }
  return { rows: n, k, indices, distances: scoresToDistances(scores, k, halfNorms) };
}

/** Cosine distance 1 − s, or |a − b|²/2 = |a|²/2 − s for the Euclidean scores a·b − |b|²/2. */
export function scoresToDistances(scores: Float64Array, k: number, halfNorms: Float64Array | null): Float32Array {
  const out = new Float32Array(scores.length);
  for (let at = 0; at < scores.length; at++) {
    const s = scores[at];
    out[at] = !Number.isFinite(s) ? Infinity : Math.max(0, (halfNorms ? halfNorms[Math.floor(at / k)] : 1) - s);
  }
  return out;
}

function treeLeaves(unit: Float32Array, n: number, dim: number, leafSize: number, rng: () => number): Int32Array[] {
  const leaves: Int32Array[] = [];
  const stack: Int32Array[] = [Int32Array.from({ length: n }, (_, i) => i)];
  const projection = new Float64Array(n);
  while (stack.length > 0) {
    const node = stack.pop() as Int32Array;
    if (node.length <= leafSize) {
      leaves.push(node);
      continue;
    }
    const a = node[Math.floor(rng() * node.length)];
    let b = node[Math.floor(rng() * node.length)];
    if (b === a) b = node[(node.indexOf(a) + 1) % node.length];
    for (const i of node) {
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += unit[i * dim + d] * (unit[a * dim + d] - unit[b * dim + d]);
      projection[i] = sum;
    }
    // Split at the median, so the tree stays balanced even when the hyperplane is off-centre.
    const sorted = Int32Array.from(node).sort((x, y) => projection[x] - projection[y] || x - y);
    const half = sorted.length >> 1;
    stack.push(sorted.slice(half), sorted.slice(0, half));
  }
  return leaves;
}

function scoreLeaf(
  unit: Float32Array, dim: number, leaf: Int32Array, indices: Int32Array, scores: Float64Array, k: number, halfNorms: Float64Array | null,
): void {
  for (let x = 0; x < leaf.length; x++) {
    const i = leaf[x];
    for (let y = x + 1; y < leaf.length; y++) {
      const j = leaf[y];
      let sum = 0;
      for (let d = 0; d < dim; d++) sum += unit[i * dim + d] * unit[j * dim + d];
      insertUnique(indices, scores, i * k, k, j, halfNorms ? sum - halfNorms[j] : sum);
      insertUnique(indices, scores, j * k, k, i, halfNorms ? sum - halfNorms[i] : sum);
    }
  }
}

function insertUnique(indices: Int32Array, scores: Float64Array, offset: number, k: number, j: number, score: number): void {
  if (score <= scores[offset + k - 1]) return;
  for (let a = 0; a < k; a++) if (indices[offset + a] === j) return;
  insertDescending(indices, scores, offset, k, j, score);
}

/** Insertion into a descending top-k row; ties keep the entry that was there first. */
export function insertDescending(indices: Int32Array, scores: Float64Array, offset: number, k: number, j: number, score: number): void {
  if (score <= scores[offset + k - 1]) return;
  let slot = k - 1;
  while (slot > 0 && scores[offset + slot - 1] < score) {
    scores[offset + slot] = scores[offset + slot - 1];
    indices[offset + slot] = indices[offset + slot - 1];
    slot--;
  }
  scores[offset + slot] = score;
  indices[offset + slot] = j;
}
