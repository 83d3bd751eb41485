/**
 * Future partners of the technology space's codes: the core's forecastPartners over a stored
 * dataset (mean-of-patents vectors from the stored patent vectors, no re-embedding), computed once
 * per dataset × model × level and cached in the store like the space's layout; a click only looks
 * its code up in the table.
 */
import { abortError } from '../core/abort';
import { fastCpuCosineBlock } from '../core/fast-cosine/wasm-cosine';
import type { CodePartners, PartnerBasis, PartnerTable } from '../core/forecast/partner-table';
import { partnersOf } from '../core/forecast/partner-table';
import { forecastPartners } from '../core/forecast/partners';
import type { ProgressCallback } from '../core/progress';
import type { CodeLevel, Patent } from '../core/types';
import type { LazyStore } from './engine-context';
import { meanOfPatents } from './forecast-vectors';

export interface PartnersResult extends CodePartners {
  kind: 'partners';
  code: string;
  basis: PartnerBasis;
  /** The table came from the store (computed on an earlier visit). */
  fromCache: boolean;
}

/** Bumped when the table's recipe changes, so an old cached table is not read as a new one. */
const RECIPE = 1;
const cacheKey = (datasetId: string) => `partnersCache:${datasetId}`;

interface CachedPartners {
  key: string;
  table: PartnerTable;
}

/** One dataset × model × level's table, computed once for every ask that waits for it. */
interface SharedTable {
  key: string;
  table: Promise<{ table: PartnerTable; fromCache: boolean }>;
  /** Stops the computation: aborted when the last ask still waiting is cancelled. */
  controller: AbortController;
  waiting: number;
  /** The table is there (or failed): nothing is left to stop. */
  settled: boolean;
  /** The progress of each ask still waiting. */
  listeners: Set<ProgressCallback>;
}

export class SpacePartners {
  /** The last table asked for, shared by concurrent clicks. */
  private last: SharedTable | null = null;

  constructor(private readonly store: LazyStore) {}

  /**
   * Concurrent asks (clicks on several codes while the table is computed) share one computation;
   * an ask's cancel only drops that ask, and the computation stops when no ask waits for it.
   */
  async partners(datasetId: string, modelId: string, level: CodeLevel, code: string, signal?: AbortSignal, onProgress?: ProgressCallback): Promise<PartnersResult> {
    const { table, fromCache } = await wait(await this.shared(datasetId, modelId, level), signal, onProgress);
    return { kind: 'partners', code, basis: table.basis, ...partnersOf(table, code), fromCache };
  }

  private async shared(datasetId: string, modelId: string, level: CodeLevel): Promise<SharedTable> {
    const store = await this.store.get();
    const key = JSON.stringify([datasetId, modelId, level, await store.countPatents(datasetId), RECIPE]);
    if (this.last?.key === key && !this.last.controller.signal.aborted) return this.last;
    const controller = new AbortController();
    const listeners = new Set<ProgressCallback>();
    const table = (async () => {
      const cached = await store.getSetting<CachedPartners>(cacheKey(datasetId));
      if (cached?.key === key) return { table: cached.table, fromCache: true };
      const patents = await store.getPatents(datasetId);
      const computed = await forecastPartners<Patent>({
        patents, level,
        vectors: async (windowPatents) => {
          const mean = await meanOfPatents(store, datasetId, modelId, windowPatents, level);
          return mean.kind === 'embedding' ? mean.embedding : null;
        },
      }, { cosineBlock: fastCpuCosineBlock(), signal: controller.signal }, (progress) => { for (const listener of listeners) listener(progress); });
      await store.setSetting<CachedPartners>(cacheKey(datasetId), { key, table: computed });
      return { table: computed, fromCache: false };
    })();
    const shared: SharedTable = { key, table, controller, waiting: 0, settled: false, listeners };
    this.last = shared;
    void table.then(() => { shared.settled = true; }, () => { shared.settled = true; });
    // A failure is not kept: the next click tries again.
    table.catch(() => {
      if (this.last === shared) this.last = null;
    });
    return shared;
  }
}

/** Waits for the shared table as one ask: its own cancel rejects it at once, and stops the work if it was the last. */
function wait(shared: SharedTable, signal: AbortSignal | undefined, onProgress: ProgressCallback | undefined): Promise<{ table: PartnerTable; fromCache: boolean }> {
  const stopIfUnwanted = () => { if (shared.waiting === 0 && !shared.settled) shared.controller.abort(); };
  if (signal?.aborted) {
    stopIfUnwanted(); // cancelled before it began to wait: the work may have been started for it alone
    return Promise.reject(abortError());
  }
  shared.waiting++;
  if (onProgress) shared.listeners.add(onProgress);
  return new Promise((resolve, reject) => {
    let left = false;
    const leave = () => {
      if (left) return false;
      left = true;
      shared.waiting--;
      if (onProgress) shared.listeners.delete(onProgress);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const onAbort = () => {
      if (!leave()) return;
      stopIfUnwanted();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    shared.table.then((value) => { if (leave()) resolve(value); }, (error: unknown) => { if (leave()) reject(error); });
  });
}
