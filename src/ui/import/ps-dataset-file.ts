import { LitElement, css, html, nothing } from 'lit';
import {
  applyWorkspaceSettings, exportDatasetFile, exportWorkspaceFile, importDatasetFile, importWorkspaceFile, isNameClash, isNameClashes,
  isWorkspaceFileError, patentSpaceFileKind, type BundleExport, type BundleImport, type WorkspaceExport, type WorkspaceImport,
} from '../../clients/workspace-client';
import { WORKSPACE_EXTENSION } from '../../core/workspace/format';
import type { DatasetRecord } from '../../store/records';
import { downloadBlob } from '../download';
import { AppStateConsumer } from '../shared/app-state-consumer';
import { TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import { viewStyles } from '../theme/styles';
import {
  countsText, exportedText, renderClashes, renderImported, renderSettings, type ClashChoice, type SettingsChoice,
} from './workspace-file-parts';
import '../shared/ps-notice';

/** A name the user is asked about: the file is kept until they choose a name or give up. */
interface NameQuestion {
  file: File;
  existing: string;
  name: string;
}

/** The clashes of a workspace file, with the choices already made for it. */
interface ClashesQuestion {
  file: File;
  choices: Record<number, string | null>;
  clashes: ClashChoice[];
}

type Exported = { kind: 'dataset'; value: WorkspaceExport } | { kind: 'workspace'; value: BundleExport };
type Imported = { kind: 'dataset'; value: WorkspaceImport } | { kind: 'workspace'; value: BundleImport };

/**
 * Moving datasets between machines: "Export dataset" saves the active dataset with its vectors,
 * layouts, match jobs, conversations and settings as one Patent Space file, "Export workspace"
 * saves every dataset and the workspace settings as one; "Import a Patent Space file" reads
 * either kind back as new datasets. A name already in use is asked about, never replaced, and a
 * workspace file's settings are applied only when the user chooses to.
 * @fires dataset-imported - detail: DatasetRecord, when the user opens an imported dataset
 */
export class PsDatasetFile extends LitElement {
  static override properties = { question: { state: true }, clashes: { state: true }, settings: { state: true } };
  declare question: NameQuestion | null;
  declare clashes: ClashesQuestion | null;
  declare settings: SettingsChoice | null;
  private readonly app = new AppStateConsumer(this, () => this.requestUpdate());
  private readonly exporting = new TaskController<Exported>(this);
  private readonly importing = new TaskController<Imported>(this);

  constructor() {
    super();
    this.question = null;
    this.clashes = null;
    this.settings = null;
  }

  static override styles = [...viewStyles, css`
    :host { display: block; margin-top: var(--ps-space-6); }
    ul.problems, ul.clashes, ul.settings { margin: var(--ps-space-2) 0; padding-left: 1.2em; }
  `];

  override render() {
    const dataset = this.app.value.dataset;
    return html`
      <section aria-labelledby="dataset-file-heading">
        <h3 id="dataset-file-heading">Dataset files</h3>
        <p class="muted">Take a dataset, or the whole workspace, to another machine: one file with the patents, vectors (with
          their model), map and space layouts, match jobs and results, conversations and settings, checked with SHA-256 when
          it is read back.</p>
        <div class="row">
          <button id="export-dataset" ?disabled=${!dataset || this.exporting.running} @click=${() => void this.exportActive()}>
            Export dataset${dataset ? html` “${dataset.name}”` : nothing}</button>
          <button id="export-workspace" ?disabled=${!dataset || this.exporting.running} @click=${() => void this.exportWorkspace()}>
            Export workspace</button>
          <label>Import a Patent Space file <input id="dataset-file-input" type="file" accept=${`${WORKSPACE_EXTENSION},.jsonl`}
            ?disabled=${this.importing.running}
            @change=${(e: Event) => { const input = e.target as HTMLInputElement; const file = input.files?.[0]; input.value = ''; if (file) void this.importFile(file); }}></label>
        </div>
        ${this.renderExport()}
        ${this.renderImport()}
        ${this.settings && this.settings.changes.length > 0
          ? renderSettings(this.settings, (s) => { this.settings = s; }, () => void this.applySettings(), () => location.reload())
          : nothing}
      </section>`;
  }

  private renderExport() {
    const state = this.exporting.state;
    if (state.kind === 'running') return taskProgress(this.exporting);
    if (state.kind === 'error') return taskError(state, { text: 'Nothing was saved. Try the export again.' }, 'export-error');
    if (state.kind === 'done') {
      const done = state.value;
      return html`<p role="status" id="export-done">${done.kind === 'workspace'
        ? exportedText(done.value) : `Saved ${done.value.fileName}: ${countsText(done.value.counts)}.`}</p>`;
    }
    return nothing;
  }

  private renderImport() {
    const state = this.importing.state;
    if (this.question) return this.renderQuestion(this.question);
    const clashes = this.clashes;
    if (clashes) {
      return renderClashes(clashes.clashes, (c) => { this.clashes = { ...clashes, clashes: c }; },
        () => void this.importWorkspaceAs(clashes), () => { this.clashes = null; });
    }
    switch (state.kind) {
      case 'running':
        return taskProgress(this.importing);
      case 'done': {
        const done = state.value;
        if (done.kind === 'workspace') return renderImported(done.value, (dataset) => this.open(dataset));
        return html`<div role="status" id="dataset-file-done">
          <p>Imported “${done.value.dataset.name}”: ${countsText(done.value.counts)}.</p>
          <button id="open-imported" class="primary" @click=${() => this.open(done.value.dataset)}>Open dataset</button></div>`;
      }
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
        @click=${() => { this.question = null; void this.importDataset(question.file, question.name.trim()); }}>Import as a copy</button>
      <button slot="action" @click=${() => { this.question = null; }}>Don't import</button>
    </ps-notice>`;
  }

  private async exportActive(): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset) return;
    const exported = await this.exporting.run('Exporting', async (run) =>
      ({ kind: 'dataset', value: await exportDatasetFile(dataset.id, run.signal, run.progress) }));
    if (exported) downloadBlob(exported.value.fileName, exported.value.blob);
  }

  private async exportWorkspace(): Promise<void> {
    const exported = await this.exporting.run('Exporting the workspace', async (run) =>
      ({ kind: 'workspace', value: await exportWorkspaceFile(run.signal, run.progress) }));
    if (exported) downloadBlob(exported.value.fileName, exported.value.blob);
  }

  /** Either kind of file: its first line says which. */
  private async importFile(file: File): Promise<void> {
    this.settings = null;
    this.clashes = null;
    this.question = null;
    // A file that can't be read says what is wrong through the dataset import's line-1 check.
    const kind = await patentSpaceFileKind(file).catch(() => 'dataset' as const);
    if (kind === 'workspace') await this.importWorkspace(file, {});
    else await this.importDataset(file, undefined);
  }

  private async importDataset(file: File, name: string | undefined): Promise<void> {
    await this.importing.run('Checking and importing', async (run) =>
      ({ kind: 'dataset', value: await importDatasetFile(file, name, run.signal, run.progress) }));
    const state = this.importing.state;
    if (state.kind === 'error' && isNameClash(state.error)) {
      this.importing.reset();
      this.question = { file, existing: state.error.existingName, name: state.error.suggestedName };
    }
  }

  private async importWorkspace(file: File, choices: Record<number, string | null>): Promise<void> {
    const imported = await this.importing.run('Checking and importing', async (run) =>
      ({ kind: 'workspace', value: await importWorkspaceFile(file, choices, run.signal, run.progress) }));
    const state = this.importing.state;
    if (state.kind === 'error' && isNameClashes(state.error)) {
      this.importing.reset();
      this.clashes = { file, choices, clashes: state.error.clashes.map((c) => ({ ...c, newName: c.suggestedName, skip: false })) };
    } else if (imported?.kind === 'workspace') {
      const changes = imported.value.settings;
      this.settings = { changes, chosen: new Set(changes.map((c) => c.key)), applied: false, error: null };
    }
  }

  private async importWorkspaceAs(question: ClashesQuestion): Promise<void> {
    this.clashes = null;
    const choices = { ...question.choices };
    for (const clash of question.clashes) choices[clash.index] = clash.skip ? null : clash.newName.trim();
    await this.importWorkspace(question.file, choices);
  }

  private async applySettings(): Promise<void> {
    const choice = this.settings;
    if (!choice) return;
    try {
      await applyWorkspaceSettings(choice.changes.filter((c) => choice.chosen.has(c.key)).map(({ key, value }) => ({ key, value })));
      this.settings = { ...choice, applied: true, error: null };
    } catch (error) {
      this.settings = { ...choice, error: error instanceof Error ? error.message : String(error) };
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
