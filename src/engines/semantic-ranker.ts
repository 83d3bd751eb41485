/**
 * The chat's embedding ranking, in the ML worker beside the encoder it needs: the question is
 * embedded with the loaded encoder and compared with the dataset's stored patent vectors of that
 * encoder, by excess over the off-topic ceiling (src/core/chat/semantic.ts). The compute worker's
 * grounding engine fuses the ranking with BM25.
 *
 * The encoder is calibrated once per dataset and model (ceilings, separation) and used only when
 * it separates the dataset's probe questions from small talk; otherwise the answer says why, and
 * the chat retrieves by words alone. Section texts have no stored vectors: the ranking covers
 * patents, BM25 covers both.
 */
import { calibrate, excessRanking, MIN_SEPARATION, OFF_TOPIC_QUESTIONS, probePatents, probeQuestion, titleFrequencies, type Calibration, type VectorSet } from '../core/chat/semantic';
import type { RankedSource } from '../core/chat/retrieve';
import { DatasetStore } from '../store/dataset-store';
import type { DatasetEmbedder } from './dataset-embedder';

export type SemanticRanking =
  | { used: true; modelId: string; separation: number; ranking: RankedSource[] }
  | { used: false; modelId: string | null; separation: number | null; reason: string };

interface Calibrated {
  sources: VectorSet;
  calibration: Calibration;
}

/** Candidates handed to the fusion; RRF reads ranks, so more than the retriever's 50 adds nothing. */
const RANKING_SIZE = 50;

export class SemanticRanker {
  private calibrated: { key: string; value: Promise<Calibrated | null> } | null = null;
  private storePromise: Promise<DatasetStore> | null = null;

  constructor(private readonly embedder: Pick<DatasetEmbedder, 'encoderInfo' | 'embedTexts'>, private readonly dbName?: string) {}

  async rank(datasetId: string, question: string): Promise<SemanticRanking> {
    const info = this.embedder.encoderInfo();
    if (!info) return { used: false, modelId: null, separation: null, reason: 'no encoder is loaded yet (the map, the Technology space or an analysis loads one)' };
    const calibrated = await this.calibrationFor(datasetId, info.modelId);
    if (!calibrated) return { used: false, modelId: info.modelId, separation: null, reason: `this dataset has no ${info.modelId} vectors yet` };
    const { separation } = calibrated.calibration;
    if (!(separation >= MIN_SEPARATION)) {
      return {
        used: false, modelId: info.modelId, separation,
        reason: `${info.modelId} tells this dataset's questions from off-topic ones in ${Math.round(separation * 100)} % of cases (${Math.round(MIN_SEPARATION * 100)} % needed)`,
      };
    }
    const query = await this.embedder.embedTexts([question]);
    return { used: true, modelId: info.modelId, separation, ranking: excessRanking(query.vectors, calibrated.sources, calibrated.calibration.ceiling, RANKING_SIZE) };
  }

  async destroy(): Promise<void> {
    (await this.storePromise?.catch(() => null))?.close();
    this.storePromise = null;
  }

  /** One calibration at a time is kept: the chat asks about one dataset with one encoder. */
  private async calibrationFor(datasetId: string, modelId: string): Promise<Calibrated | null> {
    const store = await this.store();
    const dataset = await store.getDataset(datasetId);
    if (!dataset) throw new Error(`The dataset ${datasetId} no longer exists.`);
    const key = `${datasetId}\u0000${modelId}\u0000${dataset.patentCount}`;
    if (this.calibrated?.key !== key) {
      const value = this.calibrateNow(store, datasetId, modelId);
      value.catch(() => { if (this.calibrated?.value === value) this.calibrated = null; });
      this.calibrated = { key, value };
    }
    return this.calibrated.value;
  }

  private async calibrateNow(store: DatasetStore, datasetId: string, modelId: string): Promise<Calibrated | null> {
    const stored = await store.getEmbeddings(datasetId, modelId);
    if (!stored || stored.ids.length === 0) return null;
    const withVector = new Set(stored.ids);
    const patents = (await store.getPatents(datasetId)).filter((p) => withVector.has(p.id));
    const frequency = titleFrequencies(patents.map((p) => p.title));
    const probes = probePatents(patents);
    const texts = [...OFF_TOPIC_QUESTIONS, ...probes.map((p) => probeQuestion(p.title, frequency))];
    const embedded = await this.embedder.embedTexts(texts);
    const split = OFF_TOPIC_QUESTIONS.length * embedded.dim;
    const sources: VectorSet = { ids: stored.ids, vectors: stored.vectors, dim: stored.dim };
    const calibration = calibrate(sources, embedded.vectors.subarray(0, split), { ids: probes.map((p) => p.id), vectors: embedded.vectors.subarray(split) });
    return { sources, calibration };
  }

  private store(): Promise<DatasetStore> {
    this.storePromise ??= DatasetStore.open(this.dbName ? { name: this.dbName } : undefined);
    return this.storePromise;
  }
}
