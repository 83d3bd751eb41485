/**
 * Splitting an embedding matrix into records of bounded size and joining them back.
 * Pure functions: the store decides when to read and write.
 */
import type { EmbeddingSet } from '../core/types';
import type { EmbeddingChunkRecord } from './records';

/** 4096 rows × 384 floats × 4 bytes = 6 MiB per record at the usual model width. */
export const EMBEDDING_ROWS_PER_CHUNK = 4096;

export function splitEmbeddings(
  datasetId: string,
  modelId: string,
  ids: string[],
  vectors: Float32Array,
  dim: number,
  rowsPerChunk = EMBEDDING_ROWS_PER_CHUNK,
): EmbeddingChunkRecord[] {
  if (!Number.isInteger(dim) || dim <= 0) throw new RangeError(`Embedding dim must be a positive integer, got ${dim}.`);
  if (vectors.length !== ids.length * dim) {
    throw new RangeError(
      `Embedding shape mismatch: ${ids.length} ids × dim ${dim} = ${ids.length * dim} floats, but vectors has ${vectors.length}.`,
    );
  }
  const chunks: EmbeddingChunkRecord[] = [];
  for (let start = 0, chunk = 0; start < ids.length; start += rowsPerChunk, chunk += 1) {
    const end = Math.min(start + rowsPerChunk, ids.length);
    chunks.push({
      datasetId,
      modelId,
      chunk,
      dim,
      ids: ids.slice(start, end),
      // slice, not subarray: a subarray view would make structured cloning store the WHOLE
      // underlying buffer in every chunk.
      vectors: vectors.slice(start * dim, end * dim),
    });
  }
  return chunks;
}

/** Joins chunks (in chunk order, as read by key) into one matrix. */
export function joinEmbeddings(modelId: string, chunks: EmbeddingChunkRecord[]): EmbeddingSet {
  const dim = chunks[0]?.dim ?? 0;
  let rows = 0;
  chunks.forEach((chunk, index) => {
    if (chunk.chunk !== index) throw new Error(`Embedding chunk ${index} of ${modelId} is missing (found chunk ${chunk.chunk}).`);
    if (chunk.dim !== dim) throw new Error(`Embedding chunks of ${modelId} disagree on dim: ${dim} and ${chunk.dim}.`);
    rows += chunk.ids.length;
  });
  const ids: string[] = new Array<string>(rows);
  const vectors = new Float32Array(rows * dim);
  let row = 0;
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.ids.length; i++) ids[row + i] = chunk.ids[i];
    vectors.set(chunk.vectors, row * dim);
    row += chunk.ids.length;
  }
  return { modelId, dim, ids, vectors };
}
