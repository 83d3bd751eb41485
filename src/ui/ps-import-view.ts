import { LitElement, css, html, nothing } from 'lit';
import { detectFiles, importFiles } from '../clients/import-client';
import { CONFIDENT_DETECTION, type ColumnMapping } from '../core/ingest/types';
import type { CodeLevel } from '../core/types';
import type { FileDetection } from '../clients/engine-types';
import type { DatasetRecord } from '../store/records';
import { LEVEL_LABELS, LEVELS } from './shared/level-labels';
import { errorMessage, TaskController } from './shared/task-controller';
import { taskProgress } from './shared/task-view';
import { viewStyles } from './theme/styles';
import './ps-import-report';
import './ps-mapping-editor';
import './import/ps-dataset-file';
import './shared/ps-notice';

/** Choosing files, before the import (a long task of its own) starts. */
type PickState =
  | { kind: 'idle' }
  | { kind: 'detecting' }
  | { kind: 'detected'; files: File[]; detections: FileDetection[]; mappings: Record<string, ColumnMapping | undefined> }
  | { kind: 'error'; message: string };

/**
 * Bring your own patents: pick or drop files, check the detected format and column mapping,
 * import into a new dataset with progress and cancel, read the report; or move a whole dataset
 * in or out as one Patent Space file (ps-dataset-file).
 * @fires dataset-imported - detail: DatasetRecord, when the user opens the imported dataset
 */
export class PsImportView extends LitElement {
  static override properties = { pick: { state: true }, datasetName: { state: true }, level: { state: true }, dragging: { state: true } };
  declare pick: PickState;
  declare datasetName: string;
  declare level: CodeLevel;
  declare dragging: boolean;
  private readonly importing = new TaskController<DatasetRecord>(this);

  constructor() {
    super();
    this.pick = { kind: 'idle' };
    this.datasetName = '';
    this.level = 'subclass';
    this.dragging = false;
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    .drop { border: 2px dashed var(--ps-border-strong); border-radius: 8px; padding: var(--ps-space-6); text-align: center; background: var(--ps-surface);
      transition: background-color var(--ps-duration), border-color var(--ps-duration); }
    .drop.dragging { border-color: var(--ps-accent); background: var(--ps-accent-soft); }
    .warn { color: var(--ps-warning-text); }
  `];

  private restart(): void {
    this.importing.reset();
    this.pick = { kind: 'idle' };
  }

  override render() {
    const task = this.importing.state;
    const back = html`<button slot="action" @click=${() => this.restart()}>Back</button>`;
    switch (task.kind) {
      case 'running':
        return taskProgress(this.importing);
      case 'done':
        return html`
          <ps-import-report .record=${task.value}></ps-import-report>
          <div class="row">
            <button id="open-dataset" class="primary" @click=${() => this.openDataset(task.value)}>Open dataset</button>
            <button @click=${() => this.restart()}>Import more files</button>
          </div>`;
      case 'error':
        return html`<ps-notice kind="error" id="import-error" next="Nothing was stored. Check the file and its column mapping, then import again.">${task.message}${back}</ps-notice>`;
      case 'idle':
        if (task.cancelled) return html`<ps-notice kind="info" id="import-error" next="Choose the files again to import them.">Import cancelled. Nothing was stored and your other datasets are unchanged.${back}</ps-notice>`;
    }
    switch (this.pick.kind) {
      case 'idle':
        return this.renderPicker();
      case 'detecting':
        return html`<p role="status" class="muted">Reading the first bytes of each file…</p>`;
      case 'detected':
        return this.renderDetected(this.pick);
      case 'error':
        return html`<ps-notice kind="error" id="import-error" next="Choose other files.">${this.pick.message}${back}</ps-notice>`;
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
        <p class="muted">CSV / TSV / JSONL / JSON, Lens.org CSV, PatentsView TSV tables (drop them together),
          EPO XML, Google Patents JSON. Files are read in this browser only; nothing is uploaded.</p>
      </div>
      <ps-dataset-file></ps-dataset-file>`;
  }

  private renderDetected(state: Extract<PickState, { kind: 'detected' }>) {
    const importable = state.detections.filter((d) => d.detected);
    return html`
      <table aria-label="Files to import">
        <thead><tr><th>File</th><th class="num">Size</th><th>Format</th><th>Notes</th></tr></thead>
        <tbody>${state.detections.map((d) => html`<tr data-file=${d.name}>
          <td>${d.name}</td><td class="num">${(d.bytes / 1e6).toFixed(2)} MB</td>
          <td>${d.detected ? d.detected.kind : html`<span class="warn">not a patent file</span>`}</td>
          <td>${d.detected
            ? html`${d.detected.explanation}${d.detected.confidence < CONFIDENT_DETECTION ? html` <strong class="warn">Please check the column mapping.</strong>` : nothing}`
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
          ${LEVELS.map((l) => html`<option value=${l} ?selected=${l === this.level}>${LEVEL_LABELS[l]}</option>`)}
        </select></label>
      </div>
      <div class="row">
        <button id="start-import" class="primary" ?disabled=${importable.length === 0} @click=${() => void this.startImport(state)}>
          Import ${importable.length} file${importable.length === 1 ? '' : 's'}</button>
        <button @click=${() => this.restart()}>Choose other files</button>
      </div>`;
  }

  private async chooseFiles(files: File[]): Promise<void> {
    if (files.length === 0) return;
    this.pick = { kind: 'detecting' };
    try {
      const detections = await detectFiles(files);
      this.datasetName = files.length === 1 ? files[0].name.replace(/\.[^.]+$/, '') : `${files.length} files`;
      const mappings: Record<string, ColumnMapping | undefined> = {};
      for (const d of detections) mappings[d.name] = d.detected?.mapping;
      this.pick = { kind: 'detected', files, detections, mappings };
    } catch (error) {
      this.pick = { kind: 'error', message: errorMessage(error) };
    }
  }

  private async startImport(state: Extract<PickState, { kind: 'detected' }>): Promise<void> {
    const choices = state.detections.flatMap((d) => (d.detected ? [{ name: d.name, detected: d.detected, mapping: state.mappings[d.name] }] : []));
    await this.importing.run('Importing', (run) => importFiles(state.files, choices,
      { datasetName: this.datasetName || 'Imported patents', level: this.level }, run.signal, run.progress));
  }

  private openDataset(dataset: DatasetRecord): void {
    this.dispatchEvent(new CustomEvent('dataset-imported', { detail: dataset, bubbles: true, composed: true }));
    this.restart();
  }
}

customElements.define('ps-import-view', PsImportView);
declare global {
  interface HTMLElementTagNameMap { 'ps-import-view': PsImportView }
}
