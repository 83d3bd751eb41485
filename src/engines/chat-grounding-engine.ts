/**
 * The chat's data side, in the compute worker next to the dashboard it reads: the context items
 * the views add as chips (a pollutant with its linked sections and SDG impacts, a section with its
 * loaded text, patents with their abstracts), the four preset reports composed from the open
 * job's matches (src/core/chat/reports.ts, no model), and retrieval with refusal for a free
 * question (BM25 over the bundled catalogue's sections and the dataset's patents).
 *
 * It holds no chat state: the page sends the context's snapshot and gets it back with the
 * report's items added, so tags continue the chat's own numbering.
 */
import type { Catalogue } from '../core/catalogue/catalogue';
import { BREF_CATALOGUE_ID } from '../core/catalogue/format';
import { ChatContext, type ContextEntry, type ContextItem, type ContextSnapshot, type PatentItem } from '../core/chat/context';
import { patentItem, pollutantItem, sdgItem, sectionItem } from '../core/chat/items';
import { decideRefusal, type Refusal } from '../core/chat/refusal';
import { composeReport, type Report, type ReportRequest } from '../core/chat/reports';
import { Retriever, type RetrievalNote } from '../core/chat/retrieve';
import { MIN_EXCESS } from '../core/chat/semantic';
import type { Thresholds } from '../core/dashboard/dashboard';
import { CatalogueStore } from '../store/catalogue-store';
import { LazyJobStores } from '../store/job-stores';
import type { DashboardEngine } from './dashboard-engine';
import type { SemanticRanking } from './semantic-ranker';

export type { RetrievalNote };

/** An item a view offers as a chip, by what the view knows of it. */
export type ItemRef =
  | { kind: 'pollutant'; index: number }
  | { kind: 'section'; id: string }
  | { kind: 'sdg'; number: number };

export interface GroundedQuestion {
  /** Non-null: answer with this instead of asking any model. */
  refusal: Refusal | null;
  /** Items retrieved for the question, best first (empty with a refusal). */
  items: ContextItem[];
  /** How the sources were found: by words alone, or fused with the encoder's ranking (and why not). */
  retrieval: RetrievalNote;
}


export interface ComposedReport {
  report: Report;
  /** The context with the report's items added (tags continue the given snapshot's numbering). */
  snapshot: ContextSnapshot;
}

export interface ChatGroundingOptions {
  dbName?: string;
}

export class ChatGroundingEngine {
  private readonly stores: LazyJobStores;
  private catalogueStore: Promise<CatalogueStore> | null = null;
  private retriever: { key: string; value: Promise<Retriever> } | null = null;

  constructor(private readonly dashboards: DashboardEngine, private readonly options: ChatGroundingOptions = {}) {
    this.stores = new LazyJobStores(options.dbName);
  }

  /** Items for chips; a pollutant or SDG carries the open job's counts when the dataset has a job. */
  async item(datasetId: string, ref: ItemRef, thresholds?: Partial<Thresholds>): Promise<ContextItem> {
    const catalogue = await this.dashboards.bundledCatalogue();
    const dashboard = await this.dashboards.dashboardFor(datasetId, thresholds);
    switch (ref.kind) {
      case 'pollutant': {
        const patents = dashboard ? dashboard.pollutant(ref.index, { limit: 0 }).patents : null;
        return pollutantItem(catalogue, ref.index, dashboard?.goals() ?? [], patents);
      }
      case 'section': {
        const section = catalogue.section(ref.id);
        if (!section) throw new RangeError(`Section ${ref.id} is not in the BREF catalogue.`);
        return sectionItem(section, { catalogue, text: (await this.sectionTexts()).get(ref.id) ?? null });
      }
      case 'sdg': {
        const goals = dashboard?.goals() ?? [];
        const at = goals.findIndex((g) => g.goal.number === ref.number);
        if (at < 0) throw new RangeError(`SDG ${ref.number} has no figures here (the SDG impact table or the job is missing).`);
        const reach = dashboard?.sdg({ limit: 0 }) ?? null;
        return sdgItem(goals[at], reach ? { patents: reach.goalPatents[at], reach: reach.goalReach[at] } : null);
      }
    }
  }

  /** Patent items with their stored title, abstract, year and codes; ids the dataset lacks are left out. */
  async patents(datasetId: string, ids: readonly string[]): Promise<PatentItem[]> {
    const found = await (await this.stores.get()).datasets.getPatentsByIds(datasetId, [...new Set(ids)]);
    const byId = new Map(found.map((p) => [p.id, p]));
    return ids.flatMap((id) => { const p = byId.get(id); return p ? [patentItem(p)] : []; });
  }

  /** One preset report from the open job (or the dataset's newest), with its items added to the context. */
  async report(datasetId: string, request: ReportRequest, snapshot: ContextSnapshot, thresholds?: Partial<Thresholds>): Promise<ComposedReport> {
    const dashboard = await this.dashboards.dashboardFor(datasetId, thresholds);
    if (!dashboard) throw new Error('This dataset has no matching job yet: run one in Match techniques → Match the whole catalogue, then ask for the report.');
    // A first pass finds the patents the report cites, so their records are read once, together.
    const cited = composeReport(dashboard, request).context.flatMap((e) => (e.item.kind === 'patent' ? [e.item.id] : []));
    const records = new Map((await (await this.stores.get()).datasets.getPatentsByIds(datasetId, cited)).map((p) => [p.id, p]));
    const texts = await this.sectionTexts();
    const context = ChatContext.restore(snapshot);
    const report = composeReport(dashboard, request, { context, patent: (id) => records.get(id), sectionText: (id) => texts.get(id) ?? null });
    return { report, snapshot: context.snapshot() };
  }

  /**
   * Retrieval and refusal for a free question. `context` is the chips as they stand: a question
   * about them ("summarise [P1]") is never refused, and their words count as the data's subjects.
   * `semantic` is the ML worker's ranking of the dataset's patents (src/engines/semantic-ranker.ts):
   * when its encoder passed calibration, it is fused with BM25 by reciprocal rank, keeps a source
   * whose similarity exceeds the off-topic ceiling by MIN_EXCESS, and a question farther from every
   * patent than small talk is (best excess < 0) is refused as off-topic.
   */
  async ground(datasetId: string, question: string, context: readonly ContextEntry[], semantic?: SemanticRanking): Promise<GroundedQuestion> {
    const retriever = await this.retrieverFor(datasetId);
    const ranking = semantic?.used ? semantic.ranking : null;
    const retrieval = await retriever.retrieve(question, ranking ? { embedding: () => ranking, minSimilarity: MIN_EXCESS } : {});
    const refusal = decideRefusal({ question, context, retrieval, isSubject: (t) => retriever.isSubject(t), minSimilarity: 0 });
    const note: RetrievalNote = { embedding: semantic?.used ? semantic.modelId : null, reason: semantic && !semantic.used ? semantic.reason : null };
    return { refusal, items: refusal ? [] : retrieval.items.map((r) => r.item), retrieval: note };
  }

  async destroy(): Promise<void> {
    await this.stores.close();
    (await this.catalogueStore?.catch(() => null))?.close();
  }

  /** One index per dataset, rebuilt when its patents or the loaded section texts change. */
  private async retrieverFor(datasetId: string): Promise<Retriever> {
    const { datasets } = await this.stores.get();
    const [dataset, textsRecord] = await Promise.all([datasets.getDataset(datasetId), (await this.catalogues()).textsFor(BREF_CATALOGUE_ID)]);
    if (!dataset) throw new Error(`The dataset ${datasetId} no longer exists.`);
    const key = `${datasetId}\u0000${dataset.patentCount}\u0000${textsRecord?.id ?? ''}`;
    if (this.retriever?.key !== key) {
      const value = this.buildRetriever(datasetId, await this.dashboards.bundledCatalogue());
      value.catch(() => { if (this.retriever?.value === value) this.retriever = null; });
      this.retriever = { key, value };
    }
    return this.retriever.value;
  }

  private async buildRetriever(datasetId: string, catalogue: Catalogue): Promise<Retriever> {
    const [patents, texts] = await Promise.all([(await this.stores.get()).datasets.getPatents(datasetId), this.sectionTexts()]);
    const goals = (await this.dashboards.dashboardFor(datasetId).catch(() => null))?.goals() ?? [];
    return new Retriever({
      sections: catalogue.sections, sectionText: (id) => texts.get(id), sectionFacts: { catalogue }, patents,
      subjects: [...catalogue.pollutants.map((p) => p.name), ...catalogue.documents.map((d) => d.name), ...goals.map((g) => g.goal.title)],
    });
  }

  /** The texts the user loaded for the bundled catalogue, by section id (empty when none were). */
  private async sectionTexts(): Promise<Map<string, string>> {
    const store = await this.catalogues();
    const record = await store.textsFor(BREF_CATALOGUE_ID);
    const texts = new Map<string, string>();
    for (const row of record ? await store.getSections(record.id) : []) if (row.text) texts.set(row.id, row.text);
    return texts;
  }

  private catalogues(): Promise<CatalogueStore> {
    if (!this.catalogueStore) {
      const opening = CatalogueStore.open(this.options.dbName ? { name: this.options.dbName } : {});
      opening.catch(() => { if (this.catalogueStore === opening) this.catalogueStore = null; });
      this.catalogueStore = opening;
    }
    return this.catalogueStore;
  }
}
