/**
 * A decoded catalogue with the lookups the app needs: id → section, document → chapters →
 * sections, section → pollutants and pollutant → sections. Built once by decodeCatalogue; read-only.
 */
import type {
  CatalogueCounts,
  CatalogueDocument,
  CatalogueNode,
  CatalogueSection,
  CatalogueSources,
  Pollutant,
} from './types';

export interface CatalogueMeta {
  format: string;
  version: number;
  fingerprint: string;
  counts: CatalogueCounts;
  sources: CatalogueSources;
}

export class Catalogue {
  private readonly byId = new Map<string, CatalogueSection>();
  private readonly documentsByCode = new Map<string, CatalogueDocument>();
  private readonly nodesById = new Map<string, CatalogueNode>();
  private readonly chaptersByDocument = new Map<string, CatalogueNode[]>();
  private readonly byPollutant: CatalogueSection[][];

  /** `sections` must list parents before their children (decodeCatalogue guarantees it). */
  constructor(
    readonly meta: CatalogueMeta,
    readonly documents: readonly CatalogueDocument[],
    readonly sections: readonly CatalogueSection[],
    readonly pollutants: readonly Pollutant[],
  ) {
    for (const d of documents) {
      this.documentsByCode.set(d.code, d);
      this.chaptersByDocument.set(d.code, []);
    }
    this.byPollutant = pollutants.map(() => []);
    for (const s of sections) {
      this.byId.set(s.id, s);
      const node: CatalogueNode = { section: s, children: [] };
      this.nodesById.set(s.id, node);
      if (s.parentId === null) this.chaptersByDocument.get(s.document)?.push(node);
      else this.nodesById.get(s.parentId)?.children.push(node);
      for (const p of s.pollutants) this.byPollutant[p].push(s);
    }
  }

  section(id: string): CatalogueSection | undefined {
    return this.byId.get(id);
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  document(code: string): CatalogueDocument | undefined {
    return this.documentsByCode.get(code);
  }

  /** The document's chapters (top-level sections) with everything below them, in document order. */
  chapters(documentCode: string): readonly CatalogueNode[] {
    return this.chaptersByDocument.get(documentCode) ?? [];
  }

  /** The tree node of a section (its children), undefined for an unknown id. */
  node(id: string): CatalogueNode | undefined {
    return this.nodesById.get(id);
  }

  /** The section's parent, grandparent, … up to its chapter. */
  ancestors(id: string): CatalogueSection[] {
    const chain: CatalogueSection[] = [];
    for (let s = this.byId.get(id); s?.parentId != null;) {
      s = this.byId.get(s.parentId);
      if (s) chain.push(s);
    }
    return chain;
  }

  pollutantsOf(sectionId: string): Pollutant[] {
    return (this.byId.get(sectionId)?.pollutants ?? []).map((i) => this.pollutants[i]);
  }

  /** By index or by name; [] for a pollutant the catalogue does not have. */
  sectionsWith(pollutant: number | string): readonly CatalogueSection[] {
    const index = typeof pollutant === 'number' ? pollutant : this.pollutants.findIndex((p) => p.name === pollutant);
    return this.byPollutant[index] ?? [];
  }

  /** Sections of a document in file order. */
  sectionsOf(documentCode: string): CatalogueSection[] {
    return this.sections.filter((s) => s.document === documentCode);
  }
}
