import { LitElement, css, html } from 'lit';
import { importFiles, detectFiles } from '../clients/import-client';
import { isAbortError } from '../core/abort';
import { CONFIDENT_DETECTION, type ColumnMapping } from '../core/ingest/types';
import type { Progress } from '../core/progress';
import type { CodeLevel } from '../core/types';
import type { FileDetection } from '../engines/import-engine';
import type { DatasetRecord } from '../store/records';
import './ps-import-report';
import './ps-mapping-editor';
import './ps-progress';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'detecting' }
  | { kind: 'detected'; files: File[]; detections: FileDetection[]; mappings: Record<string, ColumnMapping | undefined> }
  | { kind: 'importing'; progress: Progress | null }
  | { kind: 'done'; dataset: DatasetRecord }
  | { kind: 'error'; message: string };

export const LEVEL_LABELS: Record<CodeLevel, string> = { subclass: 'Subclass (H04L)', main_group: 'Main group (H04L 27/00)', subgroup: 'Subgroup (H04L 27/26)' };

/**
 * Bring your own patents: pick or drop files, check the detected format and column mapping,
 * import into a new dataset with progress and cancel, read the report.
 * @fires dataset-imported - detail: DatasetRecord, when the user opens the imported dataset
 */
export class PsImportView extends LitElement {
  static override properties = { state: { state: true }, datasetName: { state: true }, level: { state: true }, dragging: { state: true } };
  declare state: ImportState;
  declare datasetName: string;
  declare level: CodeLevel;
  declare dragging: boolean;
  private controller: AbortController | null = null;

  constructor() {
    super();
    this.state = { kind: 'idle' };
    this.datasetName = '';
    this.level = 'subclass';
    this.dragging = false;
  }

  static override styles = css`
    :host { display: block; }
    .drop { border: 2px dashed #9aa7b8; border-radius: 8px; padding: 1.5rem; text-align: center; background: #f7f9fc; }
    .drop.dragging { border-color: #4a7bd0; background: #eaf1fd; }
    table { border-collapse: collapse; margin: 0.75rem 0; }
    th, td { text-align: left; padding: 0.25rem 0.6rem; border-bottom: 1px solid #ddd; vertical-align: top; }
    .warn { color: #8a5300; }
    .error { background: #fde2e1; border: 1px solid #d9534f; padding: 0.5rem 0.75rem; border-radius: 4px; white-space: pre-wrap; }
    .row { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; margin: 0.5rem 0; }
    .hint { color: #555; font-size: 0.9rem; }
  `;

  override render() {
    switch (this.state.kind) {
      case 'idle':
        return this.renderPicker();
      case 'detecting':
        return html`<p role="status">Reading the first bytes of each file…</p>`;
      case 'detected':
        return this.renderDetected(this.state);
      case 'importing':
        return html`<ps-progress .progress=${this.state.progress} @cancel=${() => this.controller?.abort()}></ps-progress>`;
      case 'done':
        return html`
          <ps-import-report .record=${this.state.dataset}></ps-import-report>
          <div class="row">
            <button id="open-dataset" @click=${() => this.openDataset()}>Open dataset</button>
            <button @click=${() => (this.state = { kind: 'idle' })}>Import more files</button>
          </div>`;
      case 'error':
        return html`<p class="error" role="alert" id="import-error">${this.state.message}</p>
          <button @click=${() => (this.state = { kind: 'idle' })}>Back</button>`;
    }
  }

  private renderPicker() {
    return html`
      <div class="drop ${this.dragging ? 'dragging' : ''}"
        @dragover=${(e: DragEvent) => { e.preventDefault(); this.dragging = true; }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${(e: DragEvent) => { e.preventDefault(); this.dragging = false; void this.chooseFiles([...(e.dataTransfer?.files ?? [])]); }}>
        <p>Drop patent files here, or</p>
        <label>Choose files <input id="file-input" type="file" multiple
          accept=".csv,.tsv,.txt,.jsonl,.json,.ndjson,.xml"
          @change=${(e: Event) => void this.chooseFiles([...((e.target as HTMLInputElement).files ?? [])])}></label>
        <p class="hint">CSV / TSV / JSONL / JSON, Lens.org CSV, PatentsView TSV tables (drop them together),
          EPO XML, Google Patents JSON. Files are read in this browser only; nothing is uploaded.</p>
      </div>`;
  }

  private renderDetected(state: Extract<ImportState, { kind: 'detected' }>) {
    const importable = state.detections.filter((d) => d.detected);
    return html`
      <table aria-label="Files to import">
        <thead><tr><th>File</th><th>Size</th><th>Format</th><th>Notes</th></tr></thead>
        <tbody>${state.detections.map((d) => html`<tr data-file=${d.name}>
          <td>${d.name}</td><td>${(d.bytes / 1e6).toFixed(2)} MB</td>
          <td>${d.detected ? d.detected.kind : html`<span class="warn">not a patent file</span>`}</td>
          <td>${d.detected
            ? html`${d.detected.explanation}${d.detected.confidence < CONFIDENT_DETECTION ? html` <strong class="warn">Please check the column mapping.</strong>` : ''}`
            : d.error}</td></tr>`)}
        </tbody>
      </table>
      ${importable.filter((d) => d.detected?.mapping).map((d) => html`
        <ps-mapping-editor .fileName=${d.name} .columns=${d.detected?.columns ?? []}
          .mapping=${state.mappings[d.name]} ?open=${(d.detected?.confidence ?? 0) < CONFIDENT_DETECTION}
          @mapping-change=${(e: CustomEvent<ColumnMapping>) => { state.mappings[d.name] = e.detail; this.requestUpdate(); }}>
        </ps-mapping-editor>`)}
      <div class="row">
        <label>Dataset name <input id="dataset-name" .value=${this.datasetName}
          @input=${(e: Event) => (this.datasetName = (e.target as HTMLInputElement).value)}></label>
        <label>Analysis level <select id="level" @change=${(e: Event) => (this.level = (e.target as HTMLSelectElement).value as CodeLevel)}>
          ${(Object.keys(LEVEL_LABELS) as CodeLevel[]).map((l) => html`<option value=${l} ?selected=${l === this.level}>${LEVEL_LABELS[l]}</option>`)}
        </select></label>
      </div>
      <div class="row">
        <button id="start-import" ?disabled=${importable.length === 0} @click=${() => void this.startImport(state)}>
          Import ${importable.length} file${importable.length === 1 ? '' : 's'}</button>
        <button @click=${() => (this.state = { kind: 'idle' })}>Choose other files</button>
      </div>`;
  }

  private async chooseFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.state = { kind: 'detecting' };
    try {
      const detections = await detectFiles(files);
      this.datasetName = files.length === 1 ? files[0].name.replace(/\.[^.]+$/, '') : `${files.length} files`;
      const mappings: Record<string, ColumnMapping | undefined> = {};
      for (const d of detections) mappings[d.name] = d.detected?.mapping;
      this.state = { kind: 'detected', files, detections, mappings };
    } catch (error) {
      this.state = { kind: 'error', message: errorMessage(error) };
    }
  }

  private async startImport(state: Extract<ImportState, { kind: 'detected' }>): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const choices = state.detections.flatMap((d) => (d.detected ? [{ name: d.name, detected: d.detected, mapping: state.mappings[d.name] }] : []));
    this.state = { kind: 'importing', progress: null };
    try {
      const dataset = await importFiles(state.files, choices, { datasetName: this.datasetName || 'Imported patents', level: this.level },
        controller.signal, (progress) => { if (this.state.kind === 'importing') this.state = { kind: 'importing', progress }; });
      this.state = { kind: 'done', dataset };
    } catch (error) {
      this.state = isAbortError(error)
        ? { kind: 'error', message: 'Import cancelled. Nothing was stored and your other datasets are unchanged.' }
        : { kind: 'error', message: errorMessage(error) };
    }
  }

  private openDataset(): void {
    if (this.state.kind !== 'done') return;
    this.dispatchEvent(new CustomEvent('dataset-imported', { detail: this.state.dataset, bubbles: true, composed: true }));
    this.state = { kind: 'idle' };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}` : String(error);
}

customElements.define('ps-import-view', PsImportView);
declare global {
  interface HTMLElementTagNameMap { 'ps-import-view': PsImportView }
}
