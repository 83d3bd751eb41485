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

/** Stored vectors of some patents, in the order they were asked for. */
export interface AlignedEmbeddings {
  modelId: string;
  dim: number;
  /** The asked ids that have a stored vector, in the order asked. */
  ids: string[];
  /** ids.length × dim, row-major: row r is the vector of ids[r]. */
  vectors: Float32Array;
  /** One entry per asked id: 1 where it has a vector (and so is in `ids`), 0 where not. */
  found: Uint8Array;
}

/**
 * Gathers the rows of `wanted` (unique ids) from chunks fed in chunk order by `feed`, writing each
 * row once into the result: neither the joined matrix of every stored row nor a second aligned
 * copy is made. Chunks are checked as joinEmbeddings checks them.
 */
export class EmbeddingGatherer {
  private readonly slotOf = new Map<string, number>();
  private readonly found: Uint8Array;
  private vectors: Float32Array | null = null;
  private dim = 0;
  private chunks = 0;

  constructor(private readonly modelId: string, private readonly wanted: readonly string[]) {
    wanted.forEach((id, slot) => {
      if (this.slotOf.has(id)) throw new RangeError(`Patent id ${id} is asked for twice.`);
      this.slotOf.set(id, slot);
    });
    this.found = new Uint8Array(wanted.length);
  }

  feed(chunk: EmbeddingChunkRecord): void {
    if (chunk.chunk !== this.chunks) throw new Error(`Embedding chunk ${this.chunks} of ${this.modelId} is missing (found chunk ${chunk.chunk}).`);
    if (this.chunks === 0) {
      this.dim = chunk.dim;
      this.vectors = new Float32Array(this.wanted.length * chunk.dim);
    } else if (chunk.dim !== this.dim) {
      throw new Error(`Embedding chunks of ${this.modelId} disagree on dim: ${this.dim} and ${chunk.dim}.`);
    }
    this.chunks += 1;
    const { dim } = this;
    const vectors = this.vectors as Float32Array;
    chunk.ids.forEach((id, row) => {
      const slot = this.slotOf.get(id);
      if (slot === undefined) return;
      vectors.set(chunk.vectors.subarray(row * dim, (row + 1) * dim), slot * dim);
      this.found[slot] = 1;
    });
  }

  /** Null when no chunk was fed (the model has no vectors for the dataset at all). */
  finish(): AlignedEmbeddings | null {
    if (this.chunks === 0 || !this.vectors) return null;
    const { dim, found } = this;
    const ids: string[] = [];
    let vectors = this.vectors;
    // Missing ids leave holes: close them in place, then cut the tail off in one copy.
    for (let slot = 0; slot < this.wanted.length; slot++) {
      if (!found[slot]) continue;
      if (ids.length !== slot) vectors.copyWithin(ids.length * dim, slot * dim, (slot + 1) * dim);
      ids.push(this.wanted[slot]);
    }
    if (ids.length < this.wanted.length) vectors = vectors.slice(0, ids.length * dim);
    return { modelId: this.modelId, dim, ids, vectors, found };
  }
}
