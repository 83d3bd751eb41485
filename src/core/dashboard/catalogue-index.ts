/**
 * The catalogue as flat integer tables, built once per catalogue, so that the dashboard's counting
 * loops touch typed arrays instead of string ids, maps and objects (6.5 M pairs per threshold
 * change would otherwise allocate and hash on every pair).
 *
 * Tree nodes are numbered documents first (0 … D-1, catalogue order), then sections (D + the
 * section's place in `catalogue.sections`). A section "rolls up" into itself, its ancestors and its
 * document: a patent matched at the section counts once at each of those nodes.
 */
import type { Catalogue } from '../catalogue/catalogue';

export class CatalogueIndex {
  /** Section id → its place in `catalogue.sections`. */
  private readonly sectionById = new Map<string, number>();
  /** Per section: index of its document in `catalogue.documents`. */
  readonly documentOf: Int32Array;
  /** Per section: its parent's section index, -1 for a chapter. */
  readonly parentOf: Int32Array;
  /** CSR: the tree nodes section s rolls up into are `rollup[rollupStart[s] … rollupStart[s+1])`. */
  readonly rollupStart: Int32Array;
  readonly rollup: Int32Array;
  /** CSR: the pollutants of section s are `pollutants[pollutantStart[s] … pollutantStart[s+1])`. */
  readonly pollutantStart: Int32Array;
  readonly pollutants: Int32Array;
  readonly documentCount: number;
  readonly sectionCount: number;
  readonly pollutantCount: number;

  constructor(readonly catalogue: Catalogue) {
    const { documents, sections } = catalogue;
    this.documentCount = documents.length;
    this.sectionCount = sections.length;
    this.pollutantCount = catalogue.pollutants.length;
    const documentIndex = new Map(documents.map((d, i) => [d.code, i]));
    sections.forEach((s, i) => this.sectionById.set(s.id, i));

    this.documentOf = new Int32Array(sections.length);
    this.parentOf = new Int32Array(sections.length);
    const depth = new Int32Array(sections.length);
    sections.forEach((s, i) => {
      this.documentOf[i] = documentIndex.get(s.document) ?? -1;
      const parent = s.parentId === null ? -1 : (this.sectionById.get(s.parentId) ?? -1);
      this.parentOf[i] = parent;
      // Parents come before children (the Catalogue's contract), so the parent's depth is known.
      depth[i] = parent === -1 ? 1 : depth[parent] + 1;
    });

    this.rollupStart = new Int32Array(sections.length + 1);
    for (let i = 0; i < sections.length; i++) this.rollupStart[i + 1] = this.rollupStart[i] + depth[i] + 1;
    this.rollup = new Int32Array(this.rollupStart[sections.length]);
    for (let i = 0; i < sections.length; i++) {
      let at = this.rollupStart[i];
      for (let s = i; s !== -1; s = this.parentOf[s]) this.rollup[at++] = this.documentCount + s;
      this.rollup[at] = this.documentOf[i];
    }

    this.pollutantStart = new Int32Array(sections.length + 1);
    sections.forEach((s, i) => { this.pollutantStart[i + 1] = this.pollutantStart[i] + s.pollutants.length; });
    this.pollutants = new Int32Array(this.pollutantStart[sections.length]);
    sections.forEach((s, i) => this.pollutants.set(s.pollutants, this.pollutantStart[i]));
  }

  /** Place of a section id in `catalogue.sections`, -1 when the catalogue does not have it. */
  sectionIndex(id: string): number {
    return this.sectionById.get(id) ?? -1;
  }

  /** Tree node number of a document code or a section id, -1 when unknown. */
  nodeOf(id: string): number {
    const s = this.sectionById.get(id);
    if (s !== undefined) return this.documentCount + s;
    return this.catalogue.documents.findIndex((d) => d.code === id);
  }

  get nodeCount(): number {
    return this.documentCount + this.sectionCount;
  }

  /**
   * Per tree node, 1 when the node is linked to the pollutant: the section itself or a section
   * below it lists the pollutant (for a document: any of its sections does).
   */
  linkedNodes(pollutant: number): Uint8Array {
    const linked = new Uint8Array(this.nodeCount);
    for (const s of this.catalogue.sectionsWith(pollutant)) {
      const i = this.sectionById.get(s.id);
      if (i === undefined) continue;
      for (let k = this.rollupStart[i]; k < this.rollupStart[i + 1]; k++) linked[this.rollup[k]] = 1;
    }
    return linked;
  }

  /** Per section, 1 when it lists the pollutant. */
  sectionsLinkedTo(pollutant: number): Uint8Array {
    const linked = new Uint8Array(this.sectionCount);
    for (const s of this.catalogue.sectionsWith(pollutant)) {
      const i = this.sectionById.get(s.id);
      if (i !== undefined) linked[i] = 1;
    }
    return linked;
  }
}
