/**
 * Future partners of the technology space's codes: the core's forecastPartners over a stored
 * dataset (mean-of-patents vectors from the stored patent vectors, no re-embedding), computed once
 * per dataset × model × level and cached in the store like the space's layout; a click only looks
 * its code up in the table.
 */
import { fastCpuCosineBlock } from '../core/fast-cosine/wasm-cosine';
import type { CodePartners, PartnerBasis, PartnerTable } from '../core/forecast/partner-table';
import { partnersOf } from '../core/forecast/partner-table';
import { forecastPartners } from '../core/forecast/partners';
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

export class SpacePartners {
  /** The last table asked for (one dataset × model × level), shared by concurrent clicks. */
  private last: { key: string; table: Promise<{ table: PartnerTable; fromCache: boolean }> } | null = null;

  constructor(private readonly store: LazyStore) {}

  async partners(datasetId: string, modelId: string, level: CodeLevel, code: string): Promise<PartnersResult> {
    const { table, fromCache } = await this.table(datasetId, modelId, level);
    return { kind: 'partners', code, basis: table.basis, ...partnersOf(table, code), fromCache };
  }

  private async table(datasetId: string, modelId: string, level: CodeLevel): Promise<{ table: PartnerTable; fromCache: boolean }> {
    const store = await this.store.get();
    const key = JSON.stringify([datasetId, modelId, level, await store.countPatents(datasetId), RECIPE]);
    if (this.last?.key === key) return this.last.table;
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
      }, { cosineBlock: fastCpuCosineBlock() });
      await store.setSetting<CachedPartners>(cacheKey(datasetId), { key, table: computed });
      return { table: computed, fromCache: false };
    })();
    this.last = { key, table };
    // A failure is not kept: the next click tries again.
    table.catch(() => {
      if (this.last?.table === table) this.last = null;
    });
    return table;
  }
}
