import { LitElement, css, html, nothing } from 'lit';
import {
  bundledSummary, loadCatalogueOverview, loadDocumentSections, loadSection,
  type CatalogueOverview, type CatalogueSection, type CatalogueSummary, type SectionWithText,
} from '../../clients/catalogue-client';
import { sectionPath, sectionTechnique } from '../../clients/catalogue-technique';
import type { Technique } from '../../clients/engine-types';
import { datasetStore } from '../../clients/store-client';
import { errorMessage } from '../shared/task-controller';
import { viewStyles } from '../theme/styles';
import { filterSections, sectionLabel } from './section-filter';
import './ps-catalogue-texts';

const SECTION_SETTING_KEY = 'matchBrefSection';
const TEXT_PREVIEW_CHARS = 600;

/** What the picker tells the view: the chosen section as a technique (null while none is chosen). */
export interface TechniqueChange { technique: Technique | null }

/**
 * The EU BREF catalogue as a technique source: a document, then one of its sections (filtered by
 * title words, technique sections first), its pollutants and whether its text is loaded, and the
 * import of section texts. The chosen section is kept in settings across reloads.
 */
export class PsBrefPicker extends LitElement {
  static override properties = {
    overview: { state: true }, loadError: { state: true }, documentCode: { state: true }, sections: { state: true },
    query: { state: true }, selected: { state: true }, summary: { state: true },
  };
  declare overview: CatalogueOverview | null;
  declare loadError: string;
  declare documentCode: string;
  declare sections: CatalogueSection[] | null;
  declare query: string;
  declare selected: SectionWithText | null;
  declare summary: CatalogueSummary | undefined;
  /** Guards against a slow answer for an earlier document or section landing after a newer one. */
  private request = 0;

  constructor() {
    super();
    this.overview = null;
    this.loadError = '';
    this.documentCode = '';
    this.sections = null;
    this.query = '';
    this.selected = null;
    this.summary = undefined;
  }

  static override styles = [...viewStyles, css`
    :host { display: block; max-width: 60rem; }
    :host([hidden]) { display: none; }
    #section-select { width: 100%; min-height: 14rem; }
    .picker { display: grid; gap: var(--ps-space-2); }
    .details { margin: var(--ps-space-2) 0; }
    .details h3 { margin: 0 0 var(--ps-space-1); font-size: var(--ps-text-md, 1rem); }
    .path { margin: 0; }
    .preview { white-space: pre-wrap; margin: var(--ps-space-1) 0 0; }
    .badge { display: inline-block; padding: 0 var(--ps-space-1); border-radius: var(--ps-radius); border: 1px solid var(--ps-border); font-size: var(--ps-text-xs); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.init();
  }

  private async init(): Promise<void> {
    try {
      const [overview, summary, saved] = await Promise.all([
        loadCatalogueOverview(), bundledSummary(), datasetStore().then((s) => s.getSetting<string>(SECTION_SETTING_KEY)),
      ]);
      this.overview = overview;
      this.summary = summary;
      this.dispatchEvent(new CustomEvent('catalogue-loaded', { bubbles: true, composed: true }));
      const savedDocument = saved?.split(':::')[0];
      const code = overview.documents.some((d) => d.code === savedDocument) ? savedDocument! : overview.documents[0]?.code ?? '';
      await this.chooseDocument(code, saved);
    } catch (error) {
      this.loadError = errorMessage(error);
      this.dispatchEvent(new CustomEvent('catalogue-failed', { bubbles: true, composed: true }));
    }
  }

  private async chooseDocument(code: string, sectionId?: string): Promise<void> {
    const request = ++this.request;
    this.documentCode = code;
    this.sections = null;
    this.select(null);
    const sections = await loadDocumentSections(code);
    if (request !== this.request) return;
    this.sections = sections;
    const initial = sections.find((s) => s.id === sectionId) ?? sections.find((s) => s.isTechnique) ?? sections[0];
    if (initial) await this.chooseSection(initial.id, false);
  }

  private async chooseSection(id: string, remember = true): Promise<void> {
    const request = ++this.request;
    const found = await loadSection(id);
    if (request !== this.request) return;
    this.select(found);
    if (remember && found) await (await datasetStore()).setSetting(SECTION_SETTING_KEY, id);
  }

  private select(selected: SectionWithText | null): void {
    this.selected = selected;
    const section = selected ? bundledSection(selected) : null;
    const technique = section && this.overview ? sectionTechnique(section, selected?.text ?? null, this.overview.pollutants) : null;
    this.dispatchEvent(new CustomEvent<TechniqueChange>('technique-change', { detail: { technique }, bubbles: true, composed: true }));
  }

  /** After an import: the counts and the chosen section's text come from the store again. */
  private async textsLoaded(): Promise<void> {
    this.summary = await bundledSummary();
    if (this.selected) await this.chooseSection(bundledSection(this.selected)?.id ?? '', false);
  }

  override render() {
    if (this.loadError) {
      return html`<ps-notice kind="error" id="bref-error" data-state="error"
        next="Reload the page; the catalogue ships with the app (public/catalogue/bref-catalogue.json). The demo techniques still work.">${this.loadError}</ps-notice>`;
    }
    const overview = this.overview;
    if (!overview) return html`<p class="muted" id="bref-status" data-state="loading">Loading the EU BREF catalogue…</p>`;
    return html`
      <div class="picker" id="bref-picker" data-state="ready">
        <p class="muted" id="bref-summary" data-texts=${this.summary?.textCount ?? 0}>
          ${overview.counts.documents} BREF documents, ${overview.counts.sections.toLocaleString('en-GB')} sections
          (${overview.counts.techniqueSections.toLocaleString('en-GB')} techniques to consider), ${overview.counts.pollutants} pollutants.
          ${this.summary?.textCount ? `Texts loaded for ${this.summary.textCount.toLocaleString('en-GB')} sections${this.summary.record ? ` from ${this.summary.record.sourceFile.name}` : ''}.`
            : 'No section texts loaded: the app ships the catalogue’s structure only, and a section without text is matched by its title and headings.'}
        </p>
        <div class="row">
          <label>Document <select id="document-select" @change=${(e: Event) => void this.chooseDocument((e.target as HTMLSelectElement).value)}>
            ${overview.documents.map((d) => html`<option value=${d.code} ?selected=${d.code === this.documentCode}>${d.code} — ${d.name}</option>`)}
          </select></label>
          <label>Filter sections <input id="section-filter" type="search" placeholder="words in the title" .value=${this.query}
            @input=${(e: Event) => (this.query = (e.target as HTMLInputElement).value)}></label>
        </div>
        ${this.renderSections()}
        ${this.renderDetails(overview)}
        <ps-catalogue-texts @texts-loaded=${() => void this.textsLoaded()}></ps-catalogue-texts>
      </div>`;
  }

  private renderSections() {
    if (!this.sections) return html`<p class="muted" id="sections-status" data-state="loading">Loading the sections of ${this.documentCode}…</p>`;
    const { techniques, others, total } = filterSections(this.sections, this.query);
    const shown = techniques.length + others.length;
    const chosen = this.selected ? bundledSection(this.selected)?.id : undefined;
    const option = (s: CatalogueSection) => html`<option value=${s.id} title=${sectionPath(s)} ?selected=${s.id === chosen}>${sectionLabel(s)}</option>`;
    return html`
      <p class="muted" id="sections-count" data-shown=${shown} data-techniques=${techniques.length}>
        ${shown === total ? `${total} sections` : `${shown} of ${total} sections match “${this.query.trim()}”`}, ${techniques.length} of them techniques to consider.</p>
      ${shown === 0 ? html`<ps-notice kind="info" id="sections-empty" next="Try fewer or other words, or another document.">No section of ${this.documentCode} has all of these words in its title or headings.</ps-notice>`
        : html`<label for="section-select" class="muted">Section</label>
        <select id="section-select" size="12" @change=${(e: Event) => void this.chooseSection((e.target as HTMLSelectElement).value)}>
          ${techniques.length ? html`<optgroup label="Techniques to consider (BAT)">${techniques.map(option)}</optgroup>` : nothing}
          ${others.length ? html`<optgroup label="Other sections">${others.map(option)}</optgroup>` : nothing}
        </select>`}`;
  }

  private renderDetails(overview: CatalogueOverview) {
    const selected = this.selected;
    const section = selected ? bundledSection(selected) : null;
    if (!selected || !section) return html`<p class="muted" id="section-details" data-state="none">Choose a section to match patents against.</p>`;
    const pollutants = section.pollutants.map((i) => overview.pollutants[i]).filter((p) => p !== undefined);
    const text = selected.text;
    return html`<div class="details card" id="section-details" data-section=${section.id} data-text=${text ? 'loaded' : 'missing'}>
      <h3>${section.document} ${section.number} ${section.title} ${section.isTechnique ? html`<span class="badge">technique</span>` : nothing}</h3>
      <p class="muted path">${sectionPath(section)}</p>
      <p class="muted" id="section-pollutants">${pollutants.length ? `Pollutants: ${pollutants.join(', ')}` : 'No pollutants linked to this section.'}</p>
      <p class="muted" id="section-text-state">${text ? `Text loaded (${text.length.toLocaleString('en-GB')} characters): the model reads it as the technique.`
        : 'No text loaded for this section: the model reads its title and headings. Load section texts below to match on the text.'}</p>
      ${text ? html`<p class="preview">${text.length > TEXT_PREVIEW_CHARS ? `${text.slice(0, TEXT_PREVIEW_CHARS)}…` : text}</p>` : nothing}
    </div>`;
  }
}

/** The bundled catalogue's section (a section of an own catalogue has no number or path). */
function bundledSection(found: SectionWithText): CatalogueSection | null {
  return 'number' in found.section && 'path' in found.section ? (found.section as CatalogueSection) : null;
}

customElements.define('ps-bref-picker', PsBrefPicker);
declare global {
  interface HTMLElementTagNameMap { 'ps-bref-picker': PsBrefPicker }
}
