import { LitElement, css, html } from 'lit';
import { importSectionTexts, type CatalogueRecord } from '../../clients/catalogue-client';
import { TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import { viewStyles } from '../theme/styles';
import { catalogueReport } from './catalogue-report';

/**
 * "Load section texts…": the BREF catalogue ships without texts, so the user loads them from a
 * JSON lines file of `{id, text}` rows. The file is streamed in the ingest worker with progress and
 * Cancel, and its report is shown here. Fires `texts-loaded` once the texts are stored.
 */
export class PsCatalogueTexts extends LitElement {
  private readonly task = new TaskController<CatalogueRecord>(this);

  static override styles = [...viewStyles, css`
    :host { display: block; }
    ul.issues { margin: var(--ps-space-1) 0; padding-left: var(--ps-space-4); }
    .hint { margin: 0; }
  `];

  private async load(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    if (!file) return;
    const record = await this.task.run(`Loading section texts from ${file.name}`, (run) => importSectionTexts(file, run.signal, run.progress));
    // The same file can be chosen again (after fixing it) and still fire a change.
    input.value = '';
    if (record) this.dispatchEvent(new CustomEvent('texts-loaded', { detail: { record }, bubbles: true, composed: true }));
  }

  override render() {
    const state = this.task.state;
    return html`
      <div class="row">
        <label for="texts-file">Load section texts…</label>
        <input id="texts-file" type="file" accept=".jsonl,.ndjson,.json,.txt" ?disabled=${this.task.running}
          @change=${(e: Event) => void this.load(e.target as HTMLInputElement)}>
      </div>
      <p class="muted hint">A JSON lines file, one <code>{"id": "CWW:::3.3.2", "text": "…"}</code> per line. The texts stay in this browser; they are never uploaded.</p>
      ${state.kind === 'running' ? html`<p class="muted" id="texts-status" data-state="running">${state.step}…</p>${taskProgress(this.task)}` : ''}
      ${state.kind === 'idle' && state.cancelled ? html`<p class="muted" id="texts-status" data-state="cancelled">Cancelled: nothing was stored, the texts loaded before are kept.</p>` : ''}
      ${state.kind === 'error' ? taskError(state, { text: 'Nothing was stored and the texts loaded before are kept. Check the file and choose it again.' }, 'texts-error') : ''}
      ${state.kind === 'done' && state.value.report ? catalogueReport(state.value.report) : ''}
    `;
  }
}

customElements.define('ps-catalogue-texts', PsCatalogueTexts);
declare global {
  interface HTMLElementTagNameMap { 'ps-catalogue-texts': PsCatalogueTexts }
}
