import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { loadBatConclusions, loadSection, type SectionWithText } from '../../clients/catalogue-client';
import {
  brefTree, pollutantRows, sectionPage, type BrefTreeNode, type PatentLabel, type PollutantRow, type SectionPatents, type SelectionInput, type Thresholds,
} from '../../clients/dashboard-client';
import type { SectionInput } from '../../core/catalogue/text-import';
import { downloadCsv } from '../download';
import { errorMessage } from '../shared/task-controller';
import { ViewStateController } from '../shared/view-state-controller';
import { viewStyles } from '../theme/styles';
import { exportPatents, patentTable } from './patent-list';
import '../chat/ps-add-to-chat';

/**
 * The 32 BREF documents → chapters → sections as a tree, each node with the patents matched at or
 * below it; "relevant only" hides nodes without a match (with a pollutant chosen: nodes not linked
 * to it). A section opens its page: title, path, text when loaded, pollutants, the document's BAT
 * conclusions when loaded, and its patents by score. Children are drawn only once a node is open.
 */
export class PsBrefPanel extends LitElement {
  static override properties = {
    thresholds: { attribute: false }, selection: { attribute: false }, tree: { state: true }, relevantOnly: { state: true }, pollutant: { state: true },
    pollutants: { state: true }, open: { state: true }, sectionId: { state: true }, page: { state: true }, error: { state: true },
  };
  declare thresholds: Thresholds;
  declare selection: SelectionInput;
  declare tree: BrefTreeNode[];
  declare relevantOnly: boolean;
  declare pollutant: number | null;
  declare pollutants: PollutantRow[];
  declare open: ReadonlySet<string>;
  declare sectionId: string;
  declare page: { patents: SectionPatents & { labels: PatentLabel[] }; section: SectionWithText | null; bat: SectionInput[] } | null;
  declare error: string;

  /** The open section is in the address: a link opens it, back/forward walks the sections opened. */
  private readonly url = new ViewStateController(this, 'dashboard', (state) => (this.sectionId = state.section ?? ''));

  constructor() {
    super();
    Object.assign(this, { tree: [], relevantOnly: true, pollutant: null, pollutants: [], open: new Set<string>(), sectionId: '', page: null, error: '', selection: { ids: null } });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    ul.tree { list-style: none; padding-left: var(--ps-space-3); margin: 0; }
    ul.tree.root { padding-left: 0; }
    .node { display: flex; gap: var(--ps-space-2); align-items: baseline; padding: 1px 0; }
    .toggle { width: 1.6rem; border: none; background: none; cursor: pointer; color: inherit; font: inherit; }
    .count { font-variant-numeric: tabular-nums; color: var(--ps-text-muted); }
    .unlinked { opacity: 0.55; }
    button.link { background: none; border: none; padding: 0; color: var(--ps-accent); cursor: pointer; font: inherit; text-align: left; }
    .text { white-space: pre-wrap; max-height: 16rem; overflow: auto; border: 1px solid var(--ps-border); padding: var(--ps-space-2); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    // Opened from a link or a chat citation (#/dashboard?section=ID): show that section's page.
    this.sectionId = this.url.state.section ?? '';
    void pollutantRows('', { ids: null }).then((rows) => { this.pollutants = [...rows].sort((a, b) => a.pollutant.name.localeCompare(b.pollutant.name)); }, () => undefined);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('thresholds') || changed.has('selection') || changed.has('relevantOnly') || changed.has('pollutant')) void this.load();
    if (changed.has('sectionId') || changed.has('thresholds') || changed.has('selection')) void this.loadPage();
  }

  private async load(): Promise<void> {
    try {
      this.tree = await brefTree({ relevantOnly: this.relevantOnly, pollutant: this.pollutant }, this.selection);
      this.error = '';
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async loadPage(): Promise<void> {
    const id = this.sectionId;
    if (!id) { this.page = null; return; }
    try {
      const [patents, section, bat] = await Promise.all([sectionPage(id, this.selection), loadSection(id), loadBatConclusions(id.split(':::')[0])]);
      if (this.sectionId === id) this.page = { patents, section, bat };
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private toggle(id: string): void {
    const next = new Set(this.open);
    if (next.has(id)) next.delete(id); else next.add(id);
    this.open = next;
  }

  override render() {
    const matched = this.tree.reduce((n, d) => n + (d.count > 0 ? 1 : 0), 0);
    return html`
      ${this.error ? html`<ps-notice kind="error" id="bref-error" next="Choose the job again.">${this.error}</ps-notice>` : nothing}
      <div class="row">
        <label><input id="relevant-only" type="checkbox" .checked=${this.relevantOnly} @change=${(e: Event) => (this.relevantOnly = (e.target as HTMLInputElement).checked)}> relevant only</label>
        <label>Pollutant <select id="tree-pollutant" @change=${(e: Event) => { const v = (e.target as HTMLSelectElement).value; this.pollutant = v === '' ? null : Number(v); }}>
          <option value="" ?selected=${this.pollutant === null}>any</option>
          ${this.pollutants.map((p) => html`<option value=${p.pollutant.index} ?selected=${p.pollutant.index === this.pollutant}>${p.pollutant.name}</option>`)}
        </select></label>
        <span class="muted" id="tree-count" data-documents=${this.tree.length} data-matched=${matched}>${this.tree.length} documents shown, ${matched} with matched patents</span>
        <button id="tree-csv" @click=${() => this.exportTree()}>CSV</button>
      </div>
      ${this.tree.length === 0 ? html`<ps-notice kind="info" id="tree-empty" next="Untick “relevant only”, lower the relevance threshold, or choose another pollutant.">No BREF node has a matched patent here.</ps-notice>`
        : html`<ul class="tree root" role="tree" aria-label="BREF documents, chapters and sections">${this.tree.map((n) => this.renderNode(n))}</ul>`}
      ${this.page ? this.renderPage() : nothing}
    `;
  }

  private renderNode(node: BrefTreeNode): unknown {
    const isOpen = this.open.has(node.id);
    const label = node.kind === 'document' ? `${node.id} — ${node.title}` : `${node.number} ${node.title}`;
    return html`<li role="treeitem" aria-expanded=${node.children.length > 0 ? String(isOpen) : nothing} data-node=${node.id} data-count=${node.count} class=${node.linked ? '' : 'unlinked'}>
      <div class="node">
        ${node.children.length > 0 ? html`<button class="toggle" aria-label=${`${isOpen ? 'Close' : 'Open'} ${label}`} @click=${() => this.toggle(node.id)}>${isOpen ? '▾' : '▸'}</button>` : html`<span class="toggle"></span>`}
        ${node.kind === 'section' ? html`<button class="link open-section" @click=${() => { this.sectionId = node.id; this.url.push({ section: node.id }); }}>${label}</button>` : html`<strong>${label}</strong>`}
        <span class="count">${node.count} patents</span>
      </div>
      ${isOpen && node.children.length > 0 ? html`<ul class="tree" role="group">${node.children.map((c) => this.renderNode(c))}</ul>` : nothing}
    </li>`;
  }

  private renderPage() {
    const page = this.page;
    if (!page) return nothing;
    const section = page.section?.section;
    const rows = page.patents.top.map((t) => ({ patentId: t.patentId, section: t.section, score: t.score }));
    const path = section && 'path' in section ? section.path ?? [] : [];
    return html`<section id="section-page" data-section=${page.patents.sectionId} data-patents=${page.patents.patents} aria-label="Section">
      <h3>${page.patents.sectionId} ${section?.title ?? ''}</h3>
      <ps-add-to-chat id="section-add-to-chat" .target=${{ kind: 'section', id: page.patents.sectionId }}></ps-add-to-chat>
      ${path.length > 0 ? html`<p class="muted">${path.join(' › ')}</p>` : nothing}
      ${page.section?.text ? html`<div class="text" id="section-text">${page.section.text}</div>` : html`<p class="muted" id="section-no-text">No text loaded for this section (Match techniques → Load section texts…).</p>`}
      ${page.bat.length > 0 ? html`<details id="section-bat"><summary>BAT conclusions of ${page.patents.sectionId.split(':::')[0]} (${page.bat.length})</summary>
        <ul>${page.bat.map((b) => html`<li><strong>${b.id}</strong> ${b.title ?? ''}</li>`)}</ul></details>` : nothing}
      <p>${page.patents.patents} patents matched to this section at relevance ≥ ${this.thresholds.relevance.toFixed(2)}; ${page.patents.shown} at display ≥ ${this.thresholds.display.toFixed(2)}.
        <a id="section-on-map" href=${`#/map?section=${encodeURIComponent(page.patents.sectionId)}`}>Show them on the patent map</a></p>
      ${rows.length > 0 ? html`${patentTable(this, 'section-patents', 'Patents of the section by score', rows, page.patents.labels)}
        <button id="section-patents-csv" @click=${() => exportPatents(`patents-${page.patents.sectionId.replace(/[^\w.-]+/g, '-')}.csv`, rows, page.patents.labels)}>CSV</button>` : nothing}
    </section>`;
  }

  private exportTree(): void {
    const rows: (string | number)[][] = [];
    const walk = (node: BrefTreeNode, depth: number, document: string): void => {
      rows.push([node.kind, node.id, document, node.number, depth, node.title, node.count, node.linked ? 'yes' : 'no']);
      for (const child of node.children) walk(child, depth + 1, document);
    };
    for (const d of this.tree) walk(d, 0, d.id);
    downloadCsv('bref-tree.csv', ['kind', 'id', 'document', 'number', 'depth', 'title', 'patents', 'linked'], rows);
  }
}

customElements.define('ps-bref-panel', PsBrefPanel);
declare global {
  interface HTMLElementTagNameMap { 'ps-bref-panel': PsBrefPanel }
}
