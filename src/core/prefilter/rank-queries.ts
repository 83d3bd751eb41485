import { throwIfAborted } from '../abort';
import { topkRows, type TopK } from '../similarity';

export interface RankQueriesOptions {
  signal?: AbortSignal;
  /** Queries done so far, of all; called every {@link PROGRESS_EVERY} queries and at the end. */
  onProgress?: (done: number, total: number) => void;
}

const PROGRESS_EVERY = 256;

/**
 * The ranking loop the lexical indexes share (BM25, TF-IDF): for each query, `score` fills one
 * score per document into a row that starts as NaN ("shares no term": topkRows skips NaN, so
 * such documents are not ranked); the k best are kept, ties to the lower document index, a short
 * list padded with −1 / −Infinity. Aborts and reports progress between queries.
 */
export function rankQueries(
  queries: readonly string[],
  documentCount: number,
  k: number,
  score: (query: string, row: Float32Array) => void,
  options: RankQueriesOptions = {},
): TopK {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  const rows = queries.length;
  const indices = new Int32Array(rows * k).fill(-1);
  const topScores = new Float32Array(rows * k).fill(-Infinity);
  const row = new Float32Array(documentCount);
  throwIfAborted(options.signal);
  for (let q = 0; q < rows; q++) {
    if (q % PROGRESS_EVERY === 0 && q > 0) {
      throwIfAborted(options.signal);
      options.onProgress?.(q, rows);
    }
    if (k === 0 || documentCount === 0) continue;
    score(queries[q], row.fill(Number.NaN));
    const top = topkRows(row, 1, documentCount, k);
    indices.set(top.indices, q * k);
    topScores.set(top.scores, q * k);
  }
  options.onProgress?.(rows, rows);
  return { k, rows, indices, scores: topScores };
}
