import 'fake-indexeddb/auto';
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { patentText } from '../../src/core/patent-text';
import { detectSources, importSources } from '../../src/core/ingest/engine';
import { MemorySink } from '../../src/core/ingest/memory-sink';
import type { Patent } from '../../src/core/types';
import { DatasetEmbedder, provenanceKey } from '../../src/engines/dataset-embedder';
import { EncoderEngine } from '../../src/ml/encoder';
import { localModelSource } from '../../src/ml/local-model';
import {
  corpusFingerprint, modelMismatch, readShippedVectors, rowCosine, sampleIndices, shippedCodeVectors, type ShippedVectorsManifest,
} from '../../src/ml/shipped-vectors';
import { techTokenKey } from '../../src/ml/vector-keys';
import { DatasetStore } from '../../src/store/dataset-store';
import { makeReport, useFreshIndexedDb } from '../store/helpers';

const MODEL = 'ps-techtoken-tiny';
const MANIFEST_PATH = `public/demo/vectors/${MODEL}.json`;
const manifest = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8')) as ShippedVectorsManifest;
const binary = readFileSync(`public/demo/vectors/${manifest.binary}`);
const shipped = readShippedVectors(manifest, binary.buffer.slice(binary.byteOffset, binary.byteOffset + binary.byteLength));
const modelManifest = JSON.parse(readFileSync(`models/${MODEL}/manifest.json`, 'utf8')) as { files: Record<string, { sha256: string }> };

/** The demo corpus as the app imports it (same core code), in the store's id order. */
async function importDemo(): Promise<Patent[]> {
  const path = 'public/demo/patents.jsonl';
  const [detected] = await detectSources([{ name: 'patents.jsonl', bytes: statSync(path).size, stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array> }]);
  if (!detected.detected) throw new Error(detected.error);
  const sink = new MemorySink();
  await importSources([{ source: detected.source, detected: detected.detected }], sink, {});
  return [...sink.patents.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe('the vectors shipped with the demo corpus (public/demo/vectors/)', () => {
  let patents: Patent[];
  let engine: EncoderEngine;
  beforeAll(async () => {
    patents = await importDemo();
    engine = await EncoderEngine.create({ source: localModelSource('models', MODEL), devices: ['cpu'] });
  });
  afterAll(() => engine.destroy());

  it('were made from the committed corpus with the committed model (rerun models/recipes/demo-vectors.ts when either changes)', async () => {
    expect(manifest.corpus.patents).toBe(patents.length);
    await expect(corpusFingerprint(patents)).resolves.toBe(manifest.corpus.fingerprint);
    expect(modelMismatch(manifest, { modelId: `bundled:${MODEL}`, dtype: 'fp32', files: modelManifest.files })).toBeNull();
    expect(modelMismatch(manifest, { modelId: 'bundled:ps-encoder-tiny', dtype: 'fp32', files: modelManifest.files })).toMatch(/made with bundled:ps-techtoken-tiny/);
    const changed = { ...modelManifest.files, 'onnx/model.onnx': { sha256: '0'.repeat(64) } };
    expect(modelMismatch(manifest, { modelId: `bundled:${MODEL}`, dtype: 'fp32', files: changed })).toMatch(/model.onnx changed/);
    expect(() => readShippedVectors(manifest, new ArrayBuffer(16))).toThrow(/bytes/);
  });

  it('equal what the encoder computes here, patent vectors and code-token states alike', async () => {
    const sample = sampleIndices(patents.length, 24, () => 0.37);
    const picked = sample.map((i) => patents[i]);
    const here = await engine.embed(picked.map(patentText));
    const row = new Map(manifest.patentIds.map((id, i) => [id, i]));
    picked.forEach((p, i) => expect(rowCosine(here.vectors, i, shipped.patentVectors, row.get(p.id) as number, manifest.dim)).toBeGreaterThan(0.9999));
    const vocabulary = engine.codeTokens(patents.flatMap((p) => p.codes));
    const states = await engine.codeTokenStates(picked, vocabulary!);
    expect(states.codes.length).toBeGreaterThan(picked.length);
    states.codes.forEach((code, r) => {
      const j = manifest.codeStates!.codes.findIndex((c, k) => c === code && manifest.patentIds[manifest.codeStates!.patents[k]] === picked[states.patents[r]].id);
      expect(rowCosine(states.vectors, r, shipped.codeStates, j, manifest.dim)).toBeGreaterThan(0.9999);
    });
  });

  it('average into the same TechToken code vectors as embedCodeTokens', async () => {
    const vocabulary = engine.codeTokens(patents.flatMap((p) => p.codes));
    const direct = await engine.embedCodeTokens(patents, vocabulary!);
    const averaged = shippedCodeVectors(shipped);
    expect(averaged.codes).toEqual(direct.codes);
    expect(Array.from(averaged.counts)).toEqual(Array.from(direct.counts));
    direct.codes.forEach((_, c) => expect(rowCosine(averaged.vectors, c, direct.vectors, c, manifest.dim)).toBeGreaterThan(0.9999));
  });
});

describe('DatasetEmbedder and shipped vectors', () => {
  const APP = 'http://app.test/';
  const manifestUrl = `${APP}demo/vectors/${MODEL}.json`;
  const modelManifestUrl = `${APP}models/${MODEL}/manifest.json`;
  // In Node the model is a folder, so its id is the folder name rather than `bundled:…`.
  const nodeManifest = { ...manifest, model: MODEL };
  let served: { manifest: object; binary: Uint8Array<ArrayBuffer> };
  let patents: Patent[];

  beforeAll(async () => {
    patents = await importDemo();
  });
  beforeEach(() => {
    useFreshIndexedDb();
    served = { manifest: nodeManifest, binary: new Uint8Array(binary) };
    const realFetch = globalThis.fetch;
    vi.stubGlobal('fetch', async (input: string | URL | Request, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url === manifestUrl) return Response.json(served.manifest);
      if (url === modelManifestUrl) return Response.json(modelManifest);
      if (url === `${APP}demo/vectors/${manifest.binary}`) return new Response(served.binary);
      return realFetch(input, init);
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  async function storeDataset(rows: Patent[]): Promise<{ store: DatasetStore; id: string }> {
    const store = await DatasetStore.open();
    const dataset = await store.createDataset({ name: 'demo', level: 'subclass', sourceFiles: [{ name: 'patents.jsonl', bytes: 1 }] });
    await store.putPatents(dataset.id, rows);
    const counts = new Map<string, number>();
    for (const p of rows) for (const c of p.codes) counts.set(c, (counts.get(c) ?? 0) + 1);
    await store.finishImport(dataset.id, makeReport(rows.length), counts);
    return { store, id: dataset.id };
  }

  it('stores them without the model for the corpus they were made from, then a recomputed sample marks them verified', async () => {
    const { store, id } = await storeDataset(patents);
    const embedder = new DatasetEmbedder();
    const install = await embedder.installShippedVectors(id, MODEL, manifestUrl, modelManifestUrl);
    expect(install).toMatchObject({ installed: true, techToken: { level: 'subclass' }, provenance: { source: 'shipped', verified: false } });
    const stored = await store.getEmbeddings(id, MODEL);
    expect(stored?.ids).toEqual(patents.map((p) => p.id));
    expect((await store.getEmbeddings(id, techTokenKey(MODEL)))?.ids.length).toBe(install.installed ? install.techToken?.codes : -1);
    await expect(embedder.installShippedVectors(id, MODEL, manifestUrl, modelManifestUrl)).resolves.toMatchObject({ installed: false, reason: /already has vectors/ });

    await embedder.load({ source: localModelSource('models', MODEL), devices: ['cpu'] });
    const check = await embedder.verifyShippedVectors(id, manifestUrl);
    expect(check).toMatchObject({ passed: true, sample: 32, device: 'cpu' });
    expect(check.worstCosine).toBeGreaterThan(0.9999);
    await expect(embedder.provenance(id, MODEL)).resolves.toMatchObject({ source: 'shipped', verified: true, sample: 32 });
    // Reused as stored vectors afterwards; embedding again here forgets where they came from.
    await expect(embedder.embedDataset(id)).resolves.toMatchObject({ reused: true });
    await embedder.embedDataset(id, { reuse: false });
    await expect(embedder.provenance(id, MODEL)).resolves.toBeNull();
    await embedder.destroy();
  });

  it('are not used for other patents, nor for another model', async () => {
    const { id } = await storeDataset(patents.slice(0, 999));
    const embedder = new DatasetEmbedder();
    await expect(embedder.installShippedVectors(id, MODEL, manifestUrl, modelManifestUrl)).resolves.toMatchObject({ installed: false, reason: /not the corpus/ });
    const other = await storeDataset(patents.map((p, i) => (i === 500 ? { ...p, title: `${p.title} (edited)` } : p)));
    await expect(embedder.installShippedVectors(other.id, MODEL, manifestUrl, modelManifestUrl)).resolves.toMatchObject({ installed: false, reason: /not the corpus/ });
    await expect(embedder.installShippedVectors(other.id, 'ps-encoder-tiny', manifestUrl, modelManifestUrl)).resolves.toMatchObject({ installed: false, reason: /made with/ });
    await embedder.destroy();
  });

  it('are removed, with the reason kept, when the recomputed sample differs', async () => {
    const { store, id } = await storeDataset(patents);
    // Every row perturbed well beyond float noise, so whichever sample is drawn must fail.
    const floats = new Float32Array(served.binary.buffer.slice(0));
    for (let i = 0; i < floats.length; i++) floats[i] += (i % 2 ? 0.2 : -0.2);
    served.binary = new Uint8Array(floats.buffer);
    const embedder = new DatasetEmbedder();
    expect((await embedder.installShippedVectors(id, MODEL, manifestUrl, modelManifestUrl)).installed).toBe(true);
    await embedder.load({ source: localModelSource('models', MODEL), devices: ['cpu'] });
    const check = await embedder.verifyShippedVectors(id, manifestUrl);
    expect(check.passed).toBe(false);
    expect(check.reason).toMatch(/recomputed here differ/);
    await expect(store.getEmbeddings(id, MODEL)).resolves.toBeNull();
    await expect(store.getEmbeddings(id, techTokenKey(MODEL))).resolves.toBeNull();
    await expect(store.getSetting(provenanceKey(id, MODEL))).resolves.toMatchObject({ source: 'rejected' });
    await expect(embedder.installShippedVectors(id, MODEL, manifestUrl, modelManifestUrl)).resolves.toMatchObject({ installed: false, reason: /rejected/ });
    await embedder.destroy();
  });
});
