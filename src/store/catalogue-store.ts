/**
 * CatalogueStore: imported catalogue files in the app's database (schema v3), from the main thread
 * or a worker. Same lifecycle as datasets: createImport ('importing') → putSections per chunk, one
 * transaction each → finishImport ('ready', and the catalogue it replaces removed in the same
 * transaction), or abortImport, which removes everything. Readers only ever see 'ready' records,
 * so a reload or a cancel mid-import leaves no half-written catalogue visible, and the previous
 * texts stay in use until the new ones are complete.
 */
import { CatalogueImportGoneError } from '../core/catalogue/errors';
import type { CatalogueImportKind, CatalogueImportReport, SectionInput } from '../core/catalogue/text-import';
import type { CatalogueRecord, StoredCatalogueSection } from './catalogue-records';
import { prefixRange } from './key-ranges';
import { openPatentSpaceDatabase } from './open-database';
import { storageQuotaError } from './quota-report';
import type { PatentSpaceStoreName } from './schema';
import { putAll, runWrite, type PatentSpaceDatabase, type WriteTransaction } from './transactions';
import type { SourceFile } from './records';

export { CatalogueImportGoneError };

export type { CatalogueRecord, StoredCatalogueSection } from './catalogue-records';

export interface NewCatalogueImport {
  name: string;
  kind: CatalogueImportKind;
  textsFor?: string;
  baseFingerprint?: string;
  sourceFile: SourceFile;
  /** The record's id, when the caller took a lock named after it first (import-locks.ts). */
  id?: string;
}

export class CatalogueStore {
  private constructor(private readonly db: PatentSpaceDatabase) {}

  static async open(options: { name?: string } = {}): Promise<CatalogueStore> {
    return new CatalogueStore(await openPatentSpaceDatabase(options.name));
  }

  close(): void {
    this.db.close();
  }

  // ---- import lifecycle ----

  async createImport(input: NewCatalogueImport): Promise<CatalogueRecord> {
    const record: CatalogueRecord = {
      id: input.id ?? crypto.randomUUID(),
      name: input.name,
      kind: input.kind,
      ...(input.textsFor === undefined ? {} : { textsFor: input.textsFor }),
      ...(input.baseFingerprint === undefined ? {} : { baseFingerprint: input.baseFingerprint }),
      status: 'importing',
      createdAt: Date.now(),
      sourceFile: { name: input.sourceFile.name, bytes: input.sourceFile.bytes },
      sectionCount: 0,
    };
    await this.write(['catalogues'], async (tx) => {
      await tx.objectStore('catalogues').add(record);
    });
    return record;
  }

  /** One chunk in one transaction; a section id given again replaces the earlier one. */
  async putSections(catalogueId: string, sections: readonly SectionInput[]): Promise<void> {
    await this.write(['catalogues', 'catalogueSections'], async (tx) => {
      const record = await tx.objectStore('catalogues').get(catalogueId);
      // A chunk racing a cancel must not leave orphans behind.
      if (record?.status !== 'importing') throw new CatalogueImportGoneError(catalogueId);
      await putAll(tx.objectStore('catalogueSections'), sections.map((s): StoredCatalogueSection => ({ ...s, catalogueId })));
    });
  }

  /**
   * Marks the import ready and, in the same transaction, removes the catalogues it replaces: for
   * texts, every earlier ready text set of the same bundled catalogue; otherwise the ids in `replaces`.
   */
  async finishImport(catalogueId: string, report: CatalogueImportReport, replaces: readonly string[] = []): Promise<CatalogueRecord> {
    return this.write(['catalogues', 'catalogueSections'], async (tx) => {
      const records = tx.objectStore('catalogues');
      const record = await records.get(catalogueId);
      if (record?.status !== 'importing') throw new CatalogueImportGoneError(catalogueId);
      const all = await records.getAll();
      const doomed = new Set(replaces);
      if (record.textsFor !== undefined) {
        for (const other of all) if (other.status === 'ready' && other.textsFor === record.textsFor) doomed.add(other.id);
      }
      // One set of BAT conclusions at a time: a new file replaces the old one once complete.
      if (record.kind === 'bat') for (const other of all) if (other.status === 'ready' && other.kind === 'bat') doomed.add(other.id);
      doomed.delete(catalogueId);
      for (const id of doomed) await deleteEverywhere(tx, id);
      const sectionCount = await tx.objectStore('catalogueSections').count(prefixRange(catalogueId));
      const finished: CatalogueRecord = { ...record, status: 'ready', sectionCount, report };
      await records.put(finished);
      return finished;
    });
  }

  /** Removes an unfinished import and its sections; false (changing nothing) when it is already ready. */
  async abortImport(catalogueId: string): Promise<boolean> {
    return this.write(['catalogues', 'catalogueSections'], async (tx) => {
      const record = await tx.objectStore('catalogues').get(catalogueId);
      if (record?.status === 'ready') return false;
      await deleteEverywhere(tx, catalogueId);
      return true;
    });
  }

  /**
   * Removes imports left 'importing' by a closed tab: those whose import lock nobody holds when
   * `running` knows the locks (any age), else those created before `createdBefore`.
   */
  async abortStaleImports(createdBefore: number, running: () => Promise<ReadonlySet<string> | null> = async () => null): Promise<string[]> {
    const unfinished = (await this.db.getAll('catalogues')).filter((c) => c.status === 'importing');
    if (unfinished.length === 0) return [];
    const alive = await running();
    const stale = unfinished.filter((c) => (alive ? !alive.has(c.id) : c.createdAt < createdBefore));
    for (const record of stale) await this.abortImport(record.id);
    return stale.map((c) => c.id);
  }

  async deleteCatalogue(catalogueId: string): Promise<void> {
    await this.write(['catalogues', 'catalogueSections'], (tx) => deleteEverywhere(tx, catalogueId));
  }

  // ---- reading ----

  /** Ready catalogues, newest first. */
  async listCatalogues(): Promise<CatalogueRecord[]> {
    return (await this.db.getAll('catalogues')).filter((c) => c.status === 'ready').sort((a, b) => b.createdAt - a.createdAt);
  }

  /** The record whatever its state; undefined when there is none. */
  async getCatalogue(catalogueId: string): Promise<CatalogueRecord | undefined> {
    return this.db.get('catalogues', catalogueId);
  }

  /** The ready text set of a bundled catalogue (at most one: finishImport removes older ones). */
  async textsFor(bundledId: string): Promise<CatalogueRecord | undefined> {
    return (await this.listCatalogues()).find((c) => c.kind === 'texts' && c.textsFor === bundledId);
  }

  /** One section of a ready catalogue; undefined when the catalogue is not ready or lacks the id. */
  async getSection(catalogueId: string, sectionId: string): Promise<SectionInput | undefined> {
    const tx = this.db.transaction(['catalogues', 'catalogueSections'], 'readonly');
    const [record, stored] = await Promise.all([
      tx.objectStore('catalogues').get(catalogueId),
      tx.objectStore('catalogueSections').get([catalogueId, sectionId]),
    ]);
    await tx.done;
    return record?.status === 'ready' && stored ? toSection(stored) : undefined;
  }

  /** Every section of a ready catalogue, ordered by id ([] when not ready). */
  async getSections(catalogueId: string): Promise<SectionInput[]> {
    const tx = this.db.transaction(['catalogues', 'catalogueSections'], 'readonly');
    const [record, stored] = await Promise.all([
      tx.objectStore('catalogues').get(catalogueId),
      tx.objectStore('catalogueSections').getAll(prefixRange(catalogueId)),
    ]);
    await tx.done;
    return record?.status === 'ready' ? stored.map(toSection) : [];
  }

  /** Sections stored under an id whatever its state: what a cancelled import might have left. */
  async countStoredSections(catalogueId: string): Promise<number> {
    return this.db.count('catalogueSections', prefixRange(catalogueId));
  }

  private write<Names extends PatentSpaceStoreName, T>(storeNames: Names[], body: (tx: WriteTransaction<Names>) => Promise<T>): Promise<T> {
    return runWrite(this.db, storeNames, body, (cause) => storageQuotaError(this.db, cause));
  }
}

async function deleteEverywhere(tx: WriteTransaction<'catalogues' | 'catalogueSections'>, catalogueId: string): Promise<void> {
  await Promise.all([
    tx.objectStore('catalogues').delete(catalogueId),
    tx.objectStore('catalogueSections').delete(prefixRange(catalogueId)),
  ]);
}

function toSection({ catalogueId: _catalogueId, ...section }: StoredCatalogueSection): SectionInput {
  return section;
}
