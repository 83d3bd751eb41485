import { mulberry32 } from '../../../src/core/random';
import type { PatentReader, ReadBatch } from '../../../src/core/ingest/types';

/**
 * The same text cut whole, one character at a time, and at seeded random sizes up to `maxPiece`:
 * a streaming reader must give identical results for every cut.
 */
export function chunkings(text: string, options: { seeds?: number[]; maxPiece?: number } = {}): [string, string[]][] {
  const cuts: [string, string[]][] = [['whole', [text]], ['1 char', [...text]]];
  for (const seed of options.seeds ?? [1, 2, 3]) {
    const rng = mulberry32(seed);
    const pieces: string[] = [];
    for (let i = 0; i < text.length;) {
      const size = 1 + Math.floor(rng() * (options.maxPiece ?? 40));
      pieces.push(text.slice(i, i + size));
      i += size;
    }
    cuts.push([`random seed ${seed}`, pieces]);
  }
  return cuts;
}

/** Everything a reader yields for these pieces, batches concatenated (`warnings` only when there are some). */
export function readAll(reader: PatentReader, pieces: string[]): ReadBatch {
  const all: ReadBatch = { patents: [], errors: [] };
  for (const batch of [...pieces.map((piece) => reader.push(piece)), reader.end()]) {
    all.patents.push(...batch.patents);
    all.errors.push(...batch.errors);
    if (batch.warnings && batch.warnings.length > 0) (all.warnings ??= []).push(...batch.warnings);
  }
  return all;
}
