import type { TaskOptions } from '../core/abort';
import { hasText, patentText } from '../core/patent-text';
import type { ProgressCallback } from '../core/progress';
import { DatasetStore } from '../store/dataset-store';
import type { CodeLevel, Patent } from '../core/types';
import { EncoderEngine, type EmbedResult, type EncoderInfo, type EncoderLoadOptions } from '../ml/encoder';
import { sharedLoader } from '../ml/runtime';
import { techTokenKey, techTokenWindowKey } from '../ml/vector-keys';
import type { ModelManifest } from '../ml/loader';
import {
  corpusFingerprint, modelMismatch, patentRowsInOrder, readShippedVectors, rowCosine, sampleIndices, shippedCodeVectors,
  SHIPPED_MIN_COSINE, SHIPPED_SAMPLE_SIZE, type ShippedVectors, type ShippedVectorsManifest,
} from '../ml/shipped-vectors';

export interface DatasetEmbedding {
  modelId: string;
  dim: number;
  /** Patents embedded (those with a title or an abstract). */
  count: number;
  /** Patents without any text: no vector, still counted by co-occurrence and the graph methods. */
  withoutText: number;
  /** True when stored embeddings of this dataset and model were reused. */
  reused: boolean;
  paddingFraction: number | null;
}

/**
 * Where a dataset's stored vectors of one model came from, when not from embedding here: shipped
 * with the bundled demo, and whether a sample recomputed here has confirmed them yet.
 */
export interface ShippedProvenance {
  source: 'shipped';
  verified: boolean;
  /** Set once checked: rows recomputed here, the worst cosine to the shipped rows, and on what. */
  sample?: number;
  worstCosine?: number;
  checkedOn?: string;
  installedAt: number;
}

/** Shipped vectors that were checked and did not match: kept so the next run can say why it embeds. */
export interface RejectedProvenance {
  source: 'rejected';
  reason: string;
}

export type ShippedInstall =
  | { installed: true; provenance: ShippedProvenance; dim: number; techToken: { codes: number; level: CodeLevel } | null; modelManifest: ModelManifest }
  | { installed: false; reason: string };

export interface ShippedCheck {
  passed: boolean;
  sample: number;
  worstCosine: number;
  device: string;
  /** Why the check failed (the shipped vectors are then removed and every patent is embedded on the next run). */
  reason?: string;
}

/** Settings key of the provenance of a dataset's vectors for one model. */
export function provenanceKey(datasetId: string, modelId: string): string {
  return `vectorProvenance:${datasetId}:${modelId}`;
}

/**
 * Embeds a stored dataset's patents and keeps the vectors in IndexedDB, so the similarity worker
 * reads them from the store and a reload does not embed again. Runs in the encoder worker.
 */
export class DatasetEmbedder {
  private readonly encoder = new EncoderEngine();
  private readonly installing = new Map<string, Promise<ShippedInstall>>();
  private storePromise: Promise<DatasetStore> | null = null;

  constructor(private readonly dbName?: string) {}

  load(options: EncoderLoadOptions, task: TaskOptions = {}, onProgress?: ProgressCallback): Promise<EncoderInfo> {
    return this.encoder.load(options, task, onProgress);
  }

  /** The loaded encoder, or null before load(). */
  encoderInfo(): EncoderInfo | null {
    return this.encoder.info();
  }

  /** Unit vectors of any texts with the loaded encoder (a matching job's catalogue sections). */
  embedTexts(texts: string[], options: TaskOptions = {}, onProgress?: ProgressCallback): Promise<EmbedResult> {
    if (!this.encoder.info()) throw new Error('DatasetEmbedder.load() must finish before embedTexts()');
    return this.encoder.embed(texts, options, onProgress);
  }

  async embedDataset(datasetId: string, options: TaskOptions & { reuse?: boolean } = {}, onProgress?: ProgressCallback): Promise<DatasetEmbedding> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before embedDataset()');
    const store = await this.store();
    // A patent without any text (imported for its year and codes) gets no vector: it still counts
    // in co-occurrence and the graph baselines, and engines read its vector as missing.
    const all = await store.getPatents(datasetId);
    const patents = all.filter(hasText);
    const withoutText = all.length - patents.length;
    if (options.reuse !== false) {
      const stored = await store.getEmbeddings(datasetId, info.modelId);
      if (stored && stored.ids.length === patents.length) {
        onProgress?.({ stage: 'embed', done: patents.length, total: patents.length, unit: 'patents' });
        return { modelId: info.modelId, dim: stored.dim, count: stored.ids.length, withoutText, reused: true, paddingFraction: null };
      }
    }
    if (patents.length === 0) throw new Error(`None of the ${all.length} patents has a title or an abstract to embed.`);
    const result = await this.encoder.embed(patents.map(patentText), options, onProgress);
    await store.putEmbeddings(datasetId, info.modelId, patents.map((p) => p.id), result.vectors, result.dim);
    await store.deleteSetting(provenanceKey(datasetId, info.modelId));
    return { modelId: info.modelId, dim: result.dim, count: patents.length, withoutText, reused: false, paddingFraction: result.paddingFraction };
  }

  /**
   * TechToken code vectors of a dataset, stored under `<model>#techtoken`, when the loaded model
   * has tokens for the dataset's codes at `level`; null (nothing stored) when it has not.
   */
  async embedDatasetCodes(datasetId: string, level: CodeLevel, options: TaskOptions = {}, onProgress?: ProgressCallback): Promise<{ codes: number; level: CodeLevel } | null> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before embedDatasetCodes()');
    const store = await this.store();
    const patents = await store.getPatents(datasetId);
    const vocabulary = this.encoder.codeTokens(patents.flatMap((p) => p.codes), level);
    if (!vocabulary) return null;
    const key = techTokenKey(info.modelId);
    const stored = await store.getEmbeddings(datasetId, key);
    if (stored && stored.ids.length === vocabulary.tokens.size) return { codes: stored.ids.length, level };
    const result = await this.encoder.embedCodeTokens(patents, vocabulary, options, onProgress);
    await store.putEmbeddings(datasetId, key, result.codes, result.vectors, result.dim);
    return { codes: result.codes.length, level };
  }

  /**
   * TechToken code vectors from the patents whose year lies in `range` only (a forecast's
   * embedding window), stored under `<model>#techtoken@<from>-<to>`; null (nothing stored) when the
   * loaded model has no code tokens at `level` for those patents' codes.
   */
  async embedWindowCodes(
    datasetId: string,
    level: CodeLevel,
    range: { from: number; to: number },
    options: TaskOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<{ codes: number; patents: number; level: CodeLevel; key: string; reused: boolean } | null> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before embedWindowCodes()');
    const store = await this.store();
    const patents = (await store.getPatents(datasetId)).filter((p) => p.year >= range.from && p.year <= range.to);
    const vocabulary = patents.length > 0 ? this.encoder.codeTokens(patents.flatMap((p) => p.codes), level) : null;
    if (!vocabulary) return null;
    const key = techTokenWindowKey(info.modelId, range);
    const stored = await store.getEmbeddings(datasetId, key);
    if (stored && stored.ids.length === vocabulary.tokens.size) {
      onProgress?.({ stage: 'embed', done: patents.length, total: patents.length, unit: 'patents' });
      return { codes: stored.ids.length, patents: patents.length, level, key, reused: true };
    }
    const result = await this.encoder.embedCodeTokens(patents, vocabulary, options, onProgress);
    await store.putEmbeddings(datasetId, key, result.codes, result.vectors, result.dim);
    return { codes: result.codes.length, patents: patents.length, level, key, reused: false };
  }

  /** Where the dataset's stored vectors of `modelId` came from, when not from embedding here. */
  async provenance(datasetId: string, modelId: string): Promise<ShippedProvenance | RejectedProvenance | null> {
    return (await (await this.store()).getSetting<ShippedProvenance | RejectedProvenance>(provenanceKey(datasetId, modelId))) ?? null;
  }

  /**
   * Stores the vectors shipped at `manifestUrl` (the bundled demo's) for the dataset, without
   * loading the model: only when they were made with the model whose manifest is at
   * `modelManifestUrl` (same file hashes) from exactly these patents (same fingerprint), and the
   * dataset has no vectors of that model yet. They are marked unverified until
   * verifyShippedVectors() has recomputed a sample here.
   */
  installShippedVectors(datasetId: string, modelId: string, manifestUrl: string, modelManifestUrl: string, options: TaskOptions = {}): Promise<ShippedInstall> {
    // Views asking at the same moment share one install; the second then finds the vectors stored.
    const key = `${datasetId}\n${modelId}`;
    const running = this.installing.get(key);
    if (running) return running.then(() => ({ installed: false, reason: 'the dataset already has vectors of this model' }));
    const install = this.installNow(datasetId, modelId, manifestUrl, modelManifestUrl, options);
    this.installing.set(key, install);
    return install.finally(() => this.installing.delete(key));
  }

  private async installNow(datasetId: string, modelId: string, manifestUrl: string, modelManifestUrl: string, options: TaskOptions): Promise<ShippedInstall> {
    const skip = (reason: string): ShippedInstall => ({ installed: false, reason });
    const store = await this.store();
    if (await store.getEmbeddings(datasetId, modelId)) return skip('the dataset already has vectors of this model');
    if ((await this.provenance(datasetId, modelId))?.source === 'rejected') return skip('they were rejected here before');
    const [response, modelResponse] = await Promise.all([fetch(manifestUrl, { signal: options.signal }), fetch(modelManifestUrl, { signal: options.signal })]);
    if (!response.ok || !modelResponse.ok) return skip(`${response.ok ? modelManifestUrl : manifestUrl} answered HTTP ${response.ok ? modelResponse.status : response.status}`);
    const manifest = await response.json() as ShippedVectorsManifest;
    const modelManifest = await modelResponse.json() as ModelManifest;
    const mismatch = modelMismatch(manifest, { modelId, dtype: 'fp32', files: modelManifest.files });
    if (mismatch) return skip(mismatch);
    const patents = await store.getPatents(datasetId);
    if (patents.length !== manifest.corpus.patents || await corpusFingerprint(patents) !== manifest.corpus.fingerprint) {
      return skip('the dataset is not the corpus they were made from');
    }
    const binary = await fetch(new URL(manifest.binary, manifestUrl), { signal: options.signal });
    if (!binary.ok) return skip(`${manifest.binary} answered HTTP ${binary.status}`);
    const shipped = readShippedVectors(manifest, await binary.arrayBuffer());
    await store.putEmbeddings(datasetId, modelId, patents.map((p) => p.id), patentRowsInOrder(shipped, patents), manifest.dim);
    let techToken: { codes: number; level: CodeLevel } | null = null;
    if (manifest.codeStates) {
      const means = shippedCodeVectors(shipped);
      await store.putEmbeddings(datasetId, techTokenKey(modelId), means.codes, means.vectors, manifest.dim);
      techToken = { codes: means.codes.length, level: manifest.codeStates.level };
    }
    const provenance: ShippedProvenance = { source: 'shipped', verified: false, installedAt: Date.now() };
    await store.setSetting(provenanceKey(datasetId, modelId), provenance);
    return { installed: true, provenance, dim: manifest.dim, techToken, modelManifest };
  }

  /**
   * Recomputes a random sample of the shipped vectors with the loaded model (patent vectors and
   * TechToken code states) and compares: cosine ≥ 0.999 marks them verified; anything else
   * removes them, so the next run embeds every patent here and says why.
   */
  async verifyShippedVectors(datasetId: string, manifestUrl: string, options: TaskOptions = {}): Promise<ShippedCheck> {
    const info = this.encoder.info();
    if (!info) throw new Error('DatasetEmbedder.load() must finish before verifyShippedVectors()');
    const store = await this.store();
    const manifest = await (await fetch(manifestUrl, { signal: options.signal })).json() as ShippedVectorsManifest;
    const patents = await store.getPatents(datasetId);
    const mismatch = modelMismatch(manifest, { modelId: info.modelId, dtype: info.dtype, files: info.manifest?.files });
    let check: ShippedCheck;
    if (mismatch) {
      check = { passed: false, sample: 0, worstCosine: 0, device: info.device, reason: mismatch };
    } else {
      const shipped = readShippedVectors(manifest, await (await fetch(new URL(manifest.binary, manifestUrl), { signal: options.signal })).arrayBuffer());
      const sample = sampleIndices(patents.length, SHIPPED_SAMPLE_SIZE);
      const worstCosine = await this.compareSample(patents, shipped, sample, options);
      const passed = worstCosine >= SHIPPED_MIN_COSINE;
      check = {
        passed, sample: sample.length, worstCosine, device: info.device,
        reason: passed ? undefined : `${sample.length} patents recomputed here differ from them (worst cosine ${worstCosine.toFixed(4)} < ${SHIPPED_MIN_COSINE})`,
      };
    }
    const key = provenanceKey(datasetId, info.modelId);
    const current = await store.getSetting<ShippedProvenance>(key);
    if (check.passed) {
      await store.setSetting<ShippedProvenance>(key, {
        source: 'shipped', verified: true, sample: check.sample, worstCosine: check.worstCosine, checkedOn: check.device,
        installedAt: current?.installedAt ?? Date.now(),
      });
    } else {
      await store.deleteEmbeddings(datasetId, info.modelId);
      await store.deleteEmbeddings(datasetId, techTokenKey(info.modelId));
      await store.setSetting<RejectedProvenance>(key, { source: 'rejected', reason: check.reason ?? 'they did not match' });
    }
    return check;
  }

  /** Worst cosine between the shipped rows of the sampled patents and the same rows computed here. */
  private async compareSample(patents: Patent[], shipped: ShippedVectors, sample: number[], options: TaskOptions): Promise<number> {
    const { manifest } = shipped;
    const dim = manifest.dim;
    const row = new Map(manifest.patentIds.map((id, i) => [id, i]));
    const picked = sample.map((i) => patents[i]);
    const here = await this.encoder.embed(picked.map(patentText), options);
    if (here.dim !== dim) return 0;
    let worst = 1;
    picked.forEach((p, i) => { worst = Math.min(worst, rowCosine(here.vectors, i, shipped.patentVectors, row.get(p.id) as number, dim)); });
    const codeStates = manifest.codeStates;
    if (!codeStates) return worst;
    const vocabulary = this.encoder.codeTokens(patents.flatMap((p) => p.codes), codeStates.level);
    if (!vocabulary) return 0;
    const states = await this.encoder.codeTokenStates(picked, vocabulary, options);
    const sampled = new Set(picked.map((p) => p.id));
    const shippedRow = new Map<string, number>();
    codeStates.codes.forEach((code, r) => {
      const id = manifest.patentIds[codeStates.patents[r]];
      if (sampled.has(id)) shippedRow.set(`${id}\t${code}`, r);
    });
    // The same (patent, code) pairs on both sides, or the code vectors would average other states.
    if (shippedRow.size !== states.codes.length) return 0;
    states.codes.forEach((code, r) => {
      const j = shippedRow.get(`${picked[states.patents[r]].id}\t${code}`);
      worst = Math.min(worst, j === undefined ? 0 : rowCosine(states.vectors, r, shipped.codeStates, j, dim));
    });
    return worst;
  }

  /** Makes a directory the user picked loadable as `folder:<name>` in this worker. */
  registerFolder(name: string, appBase: string, files: { path: string; file: Blob }[]): string {
    sharedLoader(appBase).registerFolder(name, new Map(files.map((f) => [f.path, f.file])));
    return `folder:${name}`;
  }

  abort(taskId: string): void {
    this.encoder.abort(taskId);
  }

  async destroy(): Promise<void> {
    await this.encoder.destroy();
    (await this.storePromise)?.close();
    this.storePromise = null;
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}
