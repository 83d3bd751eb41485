import { LitElement, css, html, nothing } from 'lit';
import {
  exportDatasetFile, importDatasetFile, isNameClash, isWorkspaceFileError, type WorkspaceExport, type WorkspaceImport,
} from '../../clients/workspace-client';
import type { RecordKind } from '../../core/workspace/format';
import { WORKSPACE_EXTENSION } from '../../core/workspace/format';
import type { DatasetRecord } from '../../store/records';
import { downloadBlob } from '../download';
import { AppStateConsumer } from '../shared/app-state-consumer';
import { TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import { viewStyles } from '../theme/styles';
import '../shared/ps-notice';

/** A name the user is asked about: the file is kept until they choose a name or give up. */
interface NameQuestion {
  file: File;
  existing: string;
  name: string;
}

const KIND_LABELS: Record<RecordKind, string> = {
  patent: 'patents', code: 'codes', embedding: 'vector chunks', result: 'results', matchJob: 'match jobs',
  matchJobInput: 'match job inputs', matchJobChunk: 'match result chunks', conversation: 'conversations', setting: 'settings',
};

function countsText(counts: Record<RecordKind, number>): string {
  return (['patent', 'embedding', 'matchJob', 'conversation', 'setting'] as const).map((kind) => `${counts[kind]} ${KIND_LABELS[kind]}`).join(', ');
}

/**
 * Moving one dataset between machines: "Export dataset" saves the active dataset with its vectors,
 * layouts, match jobs, conversations and settings as one Patent Space file; "Import a Patent Space
 * file" reads one back as a new dataset. A name already in use is asked about, never replaced.
 * @fires dataset-imported - detail: DatasetRecord, when the user opens the imported dataset
 */
export class PsDatasetFile extends LitElement {
  static override properties = { question: { state: true } };
  declare question: NameQuestion | null;
  private readonly app = new AppStateConsumer(this, () => this.requestUpdate());
  private readonly exporting = new TaskController<WorkspaceExport>(this);
  private readonly importing = new TaskController<WorkspaceImport>(this);

  constructor() {
    super();
    this.question = null;
  }

  static override styles = [...viewStyles, css`
    :host { display: block; margin-top: var(--ps-space-6); }
    ul.problems { margin: var(--ps-space-2) 0; padding-left: 1.2em; }
  `];

  override render() {
    const dataset = this.app.value.dataset;
    return html`
      <section aria-labelledby="dataset-file-heading">
        <h3 id="dataset-file-heading">Dataset files</h3>
        <p class="muted">Take a dataset to another machine: one file with its patents, vectors (with their model), map and
          space layouts, match jobs and results, conversations and settings, checked with SHA-256 when it is read back.</p>
        <div class="row">
          <button id="export-dataset" ?disabled=${!dataset || this.exporting.running} @click=${() => void this.exportActive()}>
            Export dataset${dataset ? html` “${dataset.name}”` : nothing}</button>
          <label>Import a Patent Space file <input id="dataset-file-input" type="file" accept=${`${WORKSPACE_EXTENSION},.jsonl`}
            ?disabled=${this.importing.running}
            @change=${(e: Event) => { const input = e.target as HTMLInputElement; const file = input.files?.[0]; input.value = ''; if (file) void this.importFile(file, undefined); }}></label>
        </div>
        ${this.renderExport()}
        ${this.renderImport()}
      </section>`;
  }

  private renderExport() {
    const state = this.exporting.state;
    if (state.kind === 'running') return taskProgress(this.exporting);
    if (state.kind === 'error') return taskError(state, { text: 'Nothing was saved. Try the export again.' }, 'export-error');
    if (state.kind === 'done') {
      return html`<p role="status" id="export-done">Saved ${state.value.fileName}: ${countsText(state.value.counts)}.</p>`;
    }
    return nothing;
  }

  private renderImport() {
    const state = this.importing.state;
    if (this.question) return this.renderQuestion(this.question);
    switch (state.kind) {
      case 'running':
        return taskProgress(this.importing);
      case 'done':
        return html`<div role="status" id="dataset-file-done">
          <p>Imported “${state.value.dataset.name}”: ${countsText(state.value.counts)}.</p>
          <button id="open-imported" class="primary" @click=${() => this.open(state.value.dataset)}>Open dataset</button></div>`;
      case 'error': {
        const problems = isWorkspaceFileError(state.error) ? state.error.errors : [];
        const count = isWorkspaceFileError(state.error) ? state.error.errorCount : 0;
        return html`<ps-notice kind="error" id="dataset-file-error" data-state="error"
            next="Nothing was stored. Export the dataset again on the other machine, or choose the right file.">
          ${problems.length > 0 ? html`This file can't be imported (${count} ${count === 1 ? 'problem' : 'problems'}):
            <ul class="problems">${problems.slice(0, 20).map((p) => html`<li>Line ${p.line}: ${p.reason}</li>`)}</ul>` : state.message}
        </ps-notice>`;
      }
      case 'idle':
        return state.cancelled ? html`<p role="status" class="muted" id="dataset-file-cancelled">Import cancelled. Nothing was stored.</p>` : nothing;
    }
  }

  private renderQuestion(question: NameQuestion) {
    return html`<ps-notice kind="info" id="dataset-file-clash"
        next="Import it as a second dataset under another name; the one you have is left as it is.">
      A dataset named “${question.existing}” already exists.
      <label>Name for the imported dataset <input id="dataset-file-name" .value=${question.name}
        @input=${(e: Event) => { this.question = { ...question, name: (e.target as HTMLInputElement).value }; }}></label>
      <button slot="action" id="dataset-file-import-as" class="primary" ?disabled=${question.name.trim() === ''}
        @click=${() => { this.question = null; void this.importFile(question.file, question.name.trim()); }}>Import as a copy</button>
      <button slot="action" @click=${() => { this.question = null; }}>Don't import</button>
    </ps-notice>`;
  }

  private async exportActive(): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset) return;
    const exported = await this.exporting.run('Exporting', (run) => exportDatasetFile(dataset.id, run.signal, run.progress));
    if (exported) downloadBlob(exported.fileName, exported.blob);
  }

  private async importFile(file: File, name: string | undefined): Promise<void> {
    await this.importing.run('Checking and importing', (run) => importDatasetFile(file, name, run.signal, run.progress));
    const state = this.importing.state;
    if (state.kind === 'error' && isNameClash(state.error)) {
      this.importing.reset();
      this.question = { file, existing: state.error.existingName, name: state.error.suggestedName };
    }
  }

  private open(dataset: DatasetRecord): void {
    this.importing.reset();
    this.dispatchEvent(new CustomEvent('dataset-imported', { detail: dataset, bubbles: true, composed: true }));
  }
}

customElements.define('ps-dataset-file', PsDatasetFile);
declare global {
  interface HTMLElementTagNameMap { 'ps-dataset-file': PsDatasetFile }
}
