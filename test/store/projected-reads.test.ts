/**
 * Reads that load only what the caller needs: vectors aligned to a list of patents (each row
 * copied once from its chunk), embedding counts, a year range through the year index, and the
 * year span from the index's ends.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Patent } from '../../src/core/types';
import { DatasetStore } from '../../src/store/dataset-store';
import { EmbeddingGatherer } from '../../src/store/embedding-chunks';
import { countCodes, makePatents, makeReport, useFreshIndexedDb } from './helpers';

let store: DatasetStore;

beforeEach(async () => {
  useFreshIndexedDb();
  store = await DatasetStore.open();
});

afterEach(() => {
  store.close();
  vi.unstubAllGlobals();
});

async function importDataset(patents: Patent[]): Promise<string> {
  const dataset = await store.createDataset({ name: 'A', level: 'subclass', sourceFiles: [] });
  await store.putPatents(dataset.id, patents);
  await store.finishImport(dataset.id, makeReport(patents.length), countCodes(patents));
  return dataset.id;
}

describe('getAlignedEmbeddings', () => {
  it('returns the rows of the asked ids in the asked order across chunks, leaving out ids without a vector', async () => {
    const id = await importDataset([]);
    const rows = 9_000; // three chunks of at most 4096 rows
    const dim = 3;
    const stored = Array.from({ length: rows }, (_, i) => `p${i}`);
    const vectors = Float32Array.from({ length: rows * dim }, (_, i) => i);
    await store.putEmbeddings(id, 'm', stored, vectors, dim);
    const asked = ['p8999', 'nope', 'p0', 'p4096', 'p4095', 'also-nope', 'p17'];
    const aligned = await store.getAlignedEmbeddings(id, 'm', asked);
    expect(aligned).not.toBeNull();
    if (!aligned) return;
    expect(aligned.ids).toEqual(['p8999', 'p0', 'p4096', 'p4095', 'p17']);
    expect(Array.from(aligned.found)).toEqual([1, 0, 1, 1, 1, 0, 1]);
    const rowOf = (pid: string) => Number(pid.slice(1));
    expect(Array.from(aligned.vectors)).toEqual(aligned.ids.flatMap((pid) => [0, 1, 2].map((d) => rowOf(pid) * dim + d)));
    expect(aligned.vectors.length).toBe(aligned.ids.length * dim);
    expect(aligned.dim).toBe(dim);
  });

  it('agrees with the whole set when every id is asked, is null for a model never stored, and refuses duplicates', async () => {
    const id = await importDataset([]);
    await store.putEmbeddings(id, 'm', ['a', 'b', 'c'], Float32Array.of(1, 2, 3, 4, 5, 6), 2);
    const whole = await store.getEmbeddings(id, 'm');
    const aligned = await store.getAlignedEmbeddings(id, 'm', ['a', 'b', 'c']);
    expect(aligned).toEqual({ ...whole, found: Uint8Array.of(1, 1, 1) });
    await expect(store.getAlignedEmbeddings(id, 'none', ['a'])).resolves.toBeNull();
    await expect(store.getAlignedEmbeddings(id, 'm', [])).resolves.toEqual({ modelId: 'm', dim: 2, ids: [], vectors: new Float32Array(0), found: new Uint8Array(0) });
    await expect(store.getAlignedEmbeddings(id, 'm', ['a', 'a'])).rejects.toThrow(/asked for twice/);
  });

  it('checks the chunks as joinEmbeddings does', () => {
    const chunk = (n: number, dim: number) => ({ datasetId: 'd', modelId: 'm', chunk: n, dim, ids: [`x${n}`], vectors: new Float32Array(dim) });
    const skipping = new EmbeddingGatherer('m', ['x0']);
    expect(() => skipping.feed(chunk(1, 2))).toThrow(/chunk 0 of m is missing/);
    const mixed = new EmbeddingGatherer('m', ['x0']);
    mixed.feed(chunk(0, 2));
    expect(() => mixed.feed(chunk(1, 3))).toThrow(/disagree on dim: 2 and 3/);
  });

  it('countEmbeddings counts the stored rows of a model', async () => {
    const id = await importDataset([]);
    await store.putEmbeddings(id, 'm', Array.from({ length: 5000 }, (_, i) => `p${i}`), new Float32Array(5000), 1);
    await expect(store.countEmbeddings(id, 'm')).resolves.toBe(5000);
    await expect(store.countEmbeddings(id, 'other')).resolves.toBe(0);
  });
});

describe('reads through the year index', () => {
  it('getPatentsInYears returns the patents of a year range, by id, and nothing of other datasets', async () => {
    const patents = makePatents(60); // years 2000–2019, ids in creation order
    const id = await importDataset(patents);
    await importDataset(makePatents(10, 'q'));
    const range = { from: 2003, to: 2006 };
    const expected = patents.filter((p) => p.year >= range.from && p.year <= range.to);
    await expect(store.getPatentsInYears(id, range)).resolves.toEqual(expected);
    await expect(store.getPatentsInYears(id, { from: Number.NEGATIVE_INFINITY, to: 2001 })).resolves.toEqual(patents.filter((p) => p.year <= 2001));
    await expect(store.getPatentsInYears(id, { from: 2010, to: Number.POSITIVE_INFINITY })).resolves.toEqual(patents.filter((p) => p.year >= 2010));
    await expect(store.getPatentsInYears(id, { from: 2007, to: 2003 })).resolves.toEqual([]);
  });

  it('yearSpan gives the count and the first and last year without reading patents', async () => {
    const id = await importDataset(makePatents(30).map((p, i) => ({ ...p, year: 1990 + ((i * 7) % 25) })));
    await importDataset(makePatents(3, 'q').map((p) => ({ ...p, year: 1800 })));
    await expect(store.yearSpan(id)).resolves.toEqual({ patents: 30, firstYear: 1990, lastYear: 2014 });
    const empty = await importDataset([]);
    await expect(store.yearSpan(empty)).resolves.toEqual({ patents: 0, firstYear: null, lastYear: null });
  });
});
