/**
 * The pollution dashboard over one matching job of a dataset: reads the job's stored chunks once
 * into the dashboard's column table (src/core/dashboard), then answers every list, tree and chart
 * from it; a threshold change recounts without reading the job again. Runs in the compute worker.
 * The bundled BREF catalogue and the SDG impacts come from loaders (the app fetches its bundled
 * files; Node tests read them from disk).
 */
import type { Catalogue } from '../core/catalogue/catalogue';
import { parseCatalogue } from '../core/catalogue/decode';
import { parseSdgImpacts } from '../core/reference/sdg';
import { sdgTableForCatalogue } from '../core/reference/sdg-table';
import {
  Dashboard, MatchTableBuilder, scoreRuleForJob,
  type BrefTreeNode, type GoalPollutants, type ListOptions, type PatentDetail, type PatentSelection, type PollutantDetail,
  type PollutantRow, type SdgImpactTable, type SdgReach, type SectionPatents, type Thresholds, type TreeOptions,
} from '../core/dashboard/dashboard';
import type { MatchJobRecord } from '../core/match-job/types';
import { patentRelevance, type PatentRelevance, type RelevanceTarget } from '../core/dashboard/relevance';
import type { Patent } from '../core/types';
import { LazyJobStores, type JobStores } from '../store/job-stores';

export interface DashboardEngineOptions {
  dbName?: string;
  /** Where the bundled files are; default: fetched from the URLs setSources() gives. */
  catalogue?: () => Promise<Catalogue>;
  /** null when the SDG table is not available (the SDG lists are then empty, the rest works). */
  impacts?: (catalogue: Catalogue) => Promise<SdgImpactTable | null>;
}

/** The bundled files' absolute URLs (in a worker a relative path would resolve against the script). */
export interface DashboardSources {
  catalogueUrl: string;
  sdgUrl: string;
}

export interface DashboardSummary {
  job: MatchJobRecord;
  /** Patents with at least one pair in the catalogue. */
  patents: number;
  pairs: number;
  /** Pairs whose section is not in the bundled catalogue (a job over another catalogue), with examples. */
  skipped: { count: number; examples: string[] };
  thresholds: Thresholds;
  hasSdg: boolean;
}

/** A patent as lists show it: id, title and year, from the store. */
export interface PatentLabel {
  id: string;
  title: string;
  year: number | null;
}

/** Which patents the lists count: all, or the map's selection (ids). */
export interface SelectionInput {
  ids: readonly string[] | null;
}

export class DashboardEngine {
  private dashboard: Dashboard | null = null;
  private opened: { datasetId: string; jobId: string; updatedAt: number } | null = null;
  private summary: DashboardSummary | null = null;
  private selection: { key: string; value: PatentSelection | null } = { key: '', value: null };

  private sources: DashboardSources | null = null;
  private catalogueLoading: Promise<Catalogue> | null = null;

  private readonly storeOpener: LazyJobStores;

  constructor(private readonly options: DashboardEngineOptions = {}) {
    this.storeOpener = new LazyJobStores(options.dbName);
  }

  setSources(sources: DashboardSources): void {
    if (this.sources?.catalogueUrl === sources.catalogueUrl && this.sources.sdgUrl === sources.sdgUrl) return;
    this.sources = sources;
    this.catalogueLoading = null;
    this.opened = null;
  }

  /** The dataset's jobs the dashboard can show, newest first (jobs over the bundled BREF catalogue first). */
  async jobs(datasetId: string): Promise<MatchJobRecord[]> {
    const jobs = await (await this.stores()).jobs.listJobs(datasetId);
    return [...jobs].sort((a, b) => Number(b.settings.catalogueId === 'bref') - Number(a.settings.catalogueId === 'bref') || b.createdAt - a.createdAt);
  }

  /** Builds the table of one job (again only when the job changed since). */
  async open(datasetId: string, jobId: string, thresholds?: Partial<Thresholds>): Promise<DashboardSummary> {
    const { jobs } = await this.stores();
    const job = await jobs.getJob(datasetId, jobId);
    if (!job) throw new Error(`the matching job ${jobId} no longer exists`);
    const same = this.opened && this.opened.datasetId === datasetId && this.opened.jobId === jobId && this.opened.updatedAt === job.updatedAt;
    if (!same || !this.dashboard) {
      const catalogue = await this.catalogue();
      const impacts = await this.impacts(catalogue).catch((error: unknown) => {
        console.warn(`[dashboard] no SDG impacts: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
      const builder = new MatchTableBuilder(catalogue, scoreRuleForJob(job.settings));
      for (const chunk of await jobs.getChunks(datasetId, jobId)) {
        chunk.patentIds.forEach((patentId, i) => builder.add(patentId, chunk.sectionIds[i], chunk.prefilter[i], Number.isFinite(chunk.pYes[i]) ? chunk.pYes[i] : null));
      }
      const table = builder.build();
      this.dashboard = new Dashboard(table, impacts, this.dashboard?.thresholds);
      this.opened = { datasetId, jobId, updatedAt: job.updatedAt };
      this.selection = { key: '', value: null };
      this.summary = { job, patents: table.patentCount, pairs: table.pairCount, skipped: { count: table.skipped.count, examples: [...table.skipped.examples] }, thresholds: this.dashboard.thresholds, hasSdg: impacts !== null };
    }
    if (thresholds) this.setThresholds(thresholds);
    return { ...(this.summary as DashboardSummary), thresholds: this.ready().thresholds };
  }

  setThresholds(thresholds: Partial<Thresholds>): Thresholds {
    const dashboard = this.ready();
    dashboard.setThresholds(thresholds);
    return dashboard.thresholds;
  }

  pollutants(query = '', selection: SelectionInput = { ids: null }): PollutantRow[] {
    return this.ready().pollutants(query, this.select(selection));
  }

  async pollutant(index: number, selection: SelectionInput = { ids: null }, limit = 50): Promise<PollutantDetail & { labels: PatentLabel[] }> {
    const detail = this.ready().pollutant(index, this.listOptions(selection, limit));
    return { ...detail, labels: await this.labels(detail.top.map((t) => t.patentId)) };
  }

  tree(options: TreeOptions = {}, selection: SelectionInput = { ids: null }): BrefTreeNode[] {
    return this.ready().tree(options, this.select(selection));
  }

  async section(sectionId: string, selection: SelectionInput = { ids: null }, limit = 50): Promise<SectionPatents & { labels: PatentLabel[] }> {
    const detail = this.ready().section(sectionId, this.listOptions(selection, limit));
    return { ...detail, labels: await this.labels(detail.top.map((t) => t.patentId)) };
  }

  goals(): GoalPollutants[] {
    return this.ready().goals();
  }

  async sdg(selection: SelectionInput = { ids: null }, limit = 50): Promise<(SdgReach & { labels: PatentLabel[] }) | null> {
    const reach = this.ready().sdg({ selection: this.select(selection), limit });
    return reach ? { ...reach, labels: await this.labels(reach.top.map((t) => t.patentId)) } : null;
  }

  /** One patent: its stored record and what the job matched it to; null when the dataset lacks it. */
  async patent(patentId: string): Promise<{ patent: Patent; detail: PatentDetail | null } | null> {
    const opened = this.opened;
    if (!opened) throw new Error('DashboardEngine.open() must finish first');
    const [patent] = await (await this.stores()).datasets.getPatentsByIds(opened.datasetId, [patentId]);
    if (!patent) return null;
    return { patent, detail: this.ready().patent(patentId) ?? null };
  }

  /**
   * Per patent, its relevance to a pollutant or a section in the dataset's newest dashboard job
   * (the one the dashboard opens first), for the map's colours; null when the dataset has no job.
   */
  async relevance(datasetId: string, target: RelevanceTarget): Promise<(PatentRelevance & { relevance: number; jobId: string }) | null> {
    if (this.opened?.datasetId !== datasetId) {
      const newest = (await this.jobs(datasetId))[0];
      if (!newest) return null;
      await this.open(datasetId, newest.id);
    }
    const dashboard = this.ready();
    const { patentIds, scores } = patentRelevance(dashboard.table, target);
    return { patentIds: [...patentIds], scores, relevance: dashboard.thresholds.relevance, jobId: this.opened?.jobId ?? '' };
  }

  /**
   * The dashboard the chat reports on and builds its items from: the job open now when it is of
   * this dataset (the one the dashboard view shows), else the dataset's newest; null without a job.
   */
  async dashboardFor(datasetId: string, thresholds?: Partial<Thresholds>): Promise<Dashboard | null> {
    if (this.opened?.datasetId !== datasetId || !this.dashboard) {
      const newest = (await this.jobs(datasetId))[0];
      if (!newest) return null;
      await this.open(datasetId, newest.id, thresholds);
    }
    return this.ready();
  }

  /** The bundled BREF catalogue, for the chat's retrieval (which needs no job). */
  bundledCatalogue(): Promise<Catalogue> {
    return this.catalogue();
  }

  async destroy(): Promise<void> {
    await this.storeOpener.close();
  }

  private listOptions(selection: SelectionInput, limit: number): ListOptions {
    return { selection: this.select(selection), limit };
  }

  /** The same ids as last time reuse the selection object, so the dashboard's count cache hits. */
  private select(selection: SelectionInput): PatentSelection | null {
    if (!selection.ids) return null;
    const key = `${selection.ids.length}:${selection.ids.join('\n')}`;
    if (this.selection.key !== key) this.selection = { key, value: this.ready().select(selection.ids) };
    return this.selection.value;
  }

  private async labels(ids: string[]): Promise<PatentLabel[]> {
    const opened = this.opened;
    if (!opened || ids.length === 0) return [];
    const found = new Map((await (await this.stores()).datasets.getPatentsByIds(opened.datasetId, [...new Set(ids)])).map((p) => [p.id, p]));
    return ids.map((id) => ({ id, title: found.get(id)?.title ?? '', year: found.get(id)?.year ?? null }));
  }

  private catalogue(): Promise<Catalogue> {
    if (this.options.catalogue) return this.options.catalogue();
    const sources = this.requireSources();
    if (!this.catalogueLoading) {
      const loading = fetchText(sources.catalogueUrl, 'the BREF catalogue').then(parseCatalogue);
      loading.catch(() => { if (this.catalogueLoading === loading) this.catalogueLoading = null; });
      this.catalogueLoading = loading;
    }
    return this.catalogueLoading;
  }

  private async impacts(catalogue: Catalogue): Promise<SdgImpactTable | null> {
    if (this.options.impacts) return this.options.impacts(catalogue);
    const impacts = parseSdgImpacts(await fetchText(this.requireSources().sdgUrl, 'the SDG impact table'));
    return sdgTableForCatalogue(impacts, catalogue.meta.fingerprint);
  }

  private requireSources(): DashboardSources {
    if (!this.sources) throw new Error('DashboardEngine.setSources() must be called first');
    return this.sources;
  }

  private ready(): Dashboard {
    if (!this.dashboard) throw new Error('DashboardEngine.open() must finish first');
    return this.dashboard;
  }

  private stores(): Promise<JobStores> {
    return this.storeOpener.get();
  }
}

async function fetchText(url: string, what: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${what} (${url}) could not be read: HTTP ${response.status}`);
  return response.text();
}
