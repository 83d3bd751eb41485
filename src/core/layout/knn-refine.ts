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
import { forestKnn, insertDescending } from './knn-forest';

export interface RefineOptions {
  rounds: number;
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
  const unit = normalizeRows(vectors, n, dim);
  const first = await forestKnn(unit, n, dim, k, { trees: options.trees, seed: options.seed }, signal);
  onRound?.(0, 1);
  return refineKnn(unit, n, dim, first, { rounds: options.rounds }, onRound, signal);
}

/** `unit` must hold L2-normalised rows; returns a cosine-distance graph of the same width. */
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
  let graph = initial;
  const stamp = new Int32Array(n).fill(-1);
  for (let round = 0; round < options.rounds; round++) {
    const reverse = reverseNeighbours(graph, n);
    const indices = new Int32Array(n * k).fill(-1);
    const scores = new Float64Array(n * k).fill(-Infinity);
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const stampValue = round * n + i;
      stamp[i] = stampValue;
      const consider = (j: number) => {
        if (j < 0 || stamp[j] === stampValue) return;
        stamp[j] = stampValue;
        insertDescending(indices, scores, i * k, k, j, dot(unit, i, j, dim));
      };
      for (let a = 0; a < k; a++) {
        const j = graph.indices[i * k + a];
        consider(j);
        if (j >= 0) for (let b = 0; b < k; b++) consider(graph.indices[j * k + b]);
      }
      for (const j of reverse[i]) {
        consider(j);
        for (let b = 0; b < k; b++) consider(graph.indices[j * k + b]);
      }
      for (let a = 0; a < k; a++) if (indices[i * k + a] !== graph.indices[i * k + a]) changed++;
      if ((i + 1) % ROWS_PER_TURN === 0) {
        await nextTurn();
        throwIfAborted(signal);
      }
    }
    graph = { rows: n, k, indices, distances: Float32Array.from(scores, (s) => (Number.isFinite(s) ? Math.max(0, 1 - s) : Infinity)) };
    const fraction = changed / (n * k);
    onRound?.(round + 1, fraction);
    if (fraction < (options.minChangedFraction ?? 0.005)) break;
  }
  return graph;
}

/** For each point, the points that list it (capped at k per point so hubs stay cheap). */
function reverseNeighbours(graph: NeighbourGraph, n: number): number[][] {
  const lists: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < graph.k; a++) {
      const j = graph.indices[i * graph.k + a];
      if (j >= 0 && lists[j].length < graph.k) lists[j].push(i);
    }
  }
  return lists;
}

function dot(unit: Float32Array, i: number, j: number, dim: number): number {
  let sum = 0;
  const io = i * dim;
  const jo = j * dim;
  for (let d = 0; d < dim; d++) sum += unit[io + d] * unit[jo + d];
  return sum;
}
