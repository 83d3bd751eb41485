/**
 * Refines an approximate cosine k-NN graph with the full vectors, in the spirit of NN-descent
 * (Dong, Charikar & Li 2011): a neighbour of a neighbour is likely a neighbour, so each round
 * scores every point against its neighbours, their neighbours and its reverse neighbours, and keeps
 * the best k. A round costs about n·k²·dim instead of the exact n²·dim, and it repairs what a
 * PCA-reduced k-NN misses (structure in the discarded dimensions). Deterministic: candidates are
 * visited in index order.
 */
import { throwIfAborted } from '../abort';
import { normalizeRows } from '../similarity';
import { nextTurn, type NeighbourGraph } from './knn';
import { forestKnn, insertDescending, scoresToDistances } from './knn-forest';

export interface RefineOptions {
  rounds: number;
  /** |x|²/2 per row: Euclidean ranking, distances |a − b|²/2 (see knn-forest.ts). */
  halfNorms?: Float64Array;
  /** Stop early once a round changes fewer than this fraction of the entries (default 0.5%). */
  minChangedFraction?: number;
}

const ROWS_PER_TURN = 2048;

/**
 * Approximate cosine k-NN for inputs too large for the exact one: random projection trees, then
 * up to `rounds` refinement rounds (stopping once under 0.5% of the entries change).
 */
export async function approximateCosineKnn(
  vectors: Float32Array,
  n: number,
  dim: number,
  k: number,
  options: { trees?: number; rounds: number; seed?: number },
  onRound?: (round: number, changedFraction: number) => void,
  signal?: AbortSignal,
): Promise<NeighbourGraph> {
  const unit = unitRows(vectors, n, dim);
  const first = await forestKnn(unit, n, dim, k, { trees: options.trees, seed: options.seed }, signal);
  onRound?.(0, 1);
  return refineKnn(unit, n, dim, first, { rounds: options.rounds }, onRound, signal);
}

/**
 * The rows scaled to unit length; the input itself when it already is (embeddings usually are),
 * which spares a copy: 1 GB at 650,000 × 384.
 */
export function unitRows(vectors: Float32Array, n: number, dim: number): Float32Array {
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += vectors[i * dim + d] * vectors[i * dim + d];
    if (Math.abs(sum - 1) > 1e-5) return normalizeRows(vectors, n, dim);
  }
  return vectors;
}

/**
 * `unit` must hold L2-normalised rows (or any rows, with `halfNorms` for Euclidean ranking as in
 * forestKnn); returns a graph of the same width and distance kind. Incremental as in NN-descent:
 * a neighbour of a neighbour is scored only when one of the two links is new since the last round,
 * because a pair reached through two old links was already scored and cannot win now.
 */
export async function refineKnn(
  unit: Float32Array,
  n: number,
  dim: number,
  initial: NeighbourGraph,
  options: RefineOptions,
  onRound?: (round: number, changedFraction: number) => void,
  signal?: AbortSignal,
): Promise<NeighbourGraph> {
  const { k } = initial;
  const halfNorms = options.halfNorms ?? null;
  let graph = initial;
  // Which entries of each row arrived in the last round (all of them before the first).
  let fresh = new Uint8Array(n * k).fill(1);
  const stamp = new Int32Array(n).fill(-1);
  for (let round = 0; round < options.rounds; round++) {
    const reverse = reverseNeighbours(graph, n);
    const indices = new Int32Array(n * k).fill(-1);
    const scores = new Float64Array(n * k).fill(-Infinity);
    const nextFresh = new Uint8Array(n * k);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const stampValue = round * n + i;
      stamp[i] = stampValue;
      const consider = (j: number) => {
        if (j < 0 || stamp[j] === stampValue) return;
        stamp[j] = stampValue;
        const score = dot(unit, i, j, dim);
        insertDescending(indices, scores, i * k, k, j, halfNorms ? score - halfNorms[j] : score);
      };
      for (let a = 0; a < k; a++) consider(graph.indices[i * k + a]);
      for (let a = 0; a < k; a++) {
        const j = graph.indices[i * k + a];
        if (j < 0) continue;
        const linkIsNew = fresh[i * k + a] === 1;
        for (let b = 0; b < k; b++) if (linkIsNew || fresh[j * k + b]) consider(graph.indices[j * k + b]);
      }
      const listers = reverse.lists[i];
      for (let r = 0; r < listers.length; r++) {
        const j = listers[r];
        consider(j);
        const linkIsNew = reverse.fresh(fresh, i, r);
        for (let b = 0; b < k; b++) if (linkIsNew || fresh[j * k + b]) consider(graph.indices[j * k + b]);
      }
      for (let a = 0; a < k; a++) {
        const j = indices[i * k + a];
        if (j === graph.indices[i * k + a]) continue;
        changed++;
        let before = false;
        for (let b = 0; b < k && !before; b++) before = graph.indices[i * k + b] === j;
        if (!before) nextFresh[i * k + a] = 1;
      }
      if ((i + 1) % ROWS_PER_TURN === 0) {
        await nextTurn();
        throwIfAborted(signal);
      }
    }
    graph = { rows: n, k, indices, distances: scoresToDistances(scores, k, halfNorms) };
    fresh = nextFresh;
    const fraction = changed / (n * k);
    onRound?.(round + 1, fraction);
    if (fraction < (options.minChangedFraction ?? 0.005)) break;
  }
  return graph;
}

/**
 * For each point, the points that list it (capped at k per point so hubs stay cheap), and for
 * each such link the slot it has in the lister's row, to read whether the link is new.
 */
function reverseNeighbours(graph: NeighbourGraph, n: number): { lists: number[][]; fresh: (flags: Uint8Array, i: number, r: number) => boolean } {
  const lists: number[][] = Array.from({ length: n }, () => []);
  const slots: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < graph.k; a++) {
      const j = graph.indices[i * graph.k + a];
      if (j >= 0 && lists[j].length < graph.k) { lists[j].push(i); slots[j].push(i * graph.k + a); }
    }
  }
  return { lists, fresh: (flags, i, r) => flags[slots[i][r]] === 1 };
}

function dot(unit: Float32Array, i: number, j: number, dim: number): number {
  let sum = 0;
  const io = i * dim;
  const jo = j * dim;
  for (let d = 0; d < dim; d++) sum += unit[io + d] * unit[jo + d];
  return sum;
}
