import { LitElement, css, html, nothing } from 'lit';
import {
  BREF_CATALOGUE_ID, catalogueChoices, deleteJob, listJobs, startJob, verifyJob,
  type CatalogueChoice, type MatchJobRecord, type MatchJobSettings, type SectionScope,
} from '../../clients/match-job-client';
import type { PrefilterMethod } from '../../core/match-job/types';
import { AppStateConsumer } from '../shared/app-state-consumer';
import { errorMessage, TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import { viewStyles } from '../theme/styles';
import '../shared/ps-notice';
import './ps-match-job-results';

/** The Yes/No models a job can verify with (bundled, so they work offline). */
const MATCHERS = [
  { ref: 'bundled:ps-llama-yesno-tiny', label: 'Tiny Yes/No (demo-trained)' },
  // Trained on real EP pollution patents; on held-out patents it ranks below TF-IDF alone (models/MATCHER.md).
  { ref: 'bundled:ps-llama-yesno-bref', label: 'BREF Yes/No (trained on EP pollution patents; weaker than TF-IDF)' },
];
const METHODS: { value: PrefilterMethod; label: string }[] = [
  { value: 'tfidf', label: 'TF-IDF cosine (no model)' },
  { value: 'embedding', label: 'Encoder cosine' },
  { value: 'fusion', label: 'Fusion of both (reciprocal rank)' },
];
const SCOPES: { value: SectionScope; label: string }[] = [
  { value: 'techniques', label: 'techniques to consider' },
  { value: 'with-text', label: 'sections with a loaded text' },
  { value: 'all', label: 'every section' },
];
/** How long a deleted job can be brought back before it is removed from the store. */
const UNDO_MS = 10_000;

/**
 * "Match the whole catalogue": a two-stage job over every patent of the dataset and every section
 * of a catalogue (prefilter shortlist, then the Yes/No model), kept in the browser's store as it
 * goes. Lists the dataset's jobs; a job stopped by a reload or a cancel resumes from here.
 */
export class PsMatchJob extends LitElement {
  static override properties = {
    threshold: { type: Number }, jobs: { state: true }, choices: { state: true }, openId: { state: true }, pendingDelete: { state: true },
    catalogueId: { state: true }, scope: { state: true }, method: { state: true }, k: { state: true }, sectionK: { state: true },
    verify: { state: true }, matcherRef: { state: true }, listError: { state: true },
  };
  declare threshold: number;
  declare jobs: MatchJobRecord[];
  declare choices: CatalogueChoice[];
  declare openId: string;
  declare pendingDelete: MatchJobRecord | null;
  declare catalogueId: string;
  declare scope: SectionScope;
  declare method: PrefilterMethod;
  declare k: number;
  declare sectionK: number;
  declare verify: boolean;
  declare matcherRef: string;
  declare listError: string;
  private readonly app = new AppStateConsumer(this, (next, previous) => {
    if (next.dataset?.id !== previous.dataset?.id) { this.task.reset(); this.openId = ''; void this.refresh(); }
  });
  private readonly task = new TaskController<MatchJobRecord>(this);
  private deleteTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    Object.assign(this, { threshold: 0.5, jobs: [], choices: [], openId: '', pendingDelete: null, catalogueId: BREF_CATALOGUE_ID, scope: 'techniques',
      method: 'tfidf', k: 10, sectionK: 0, verify: true, matcherRef: MATCHERS[0].ref, listError: '' });
  }

  static override styles = [...viewStyles, css`
    :host { display: block; }
    fieldset { border: 1px solid var(--ps-border); border-radius: var(--ps-radius); padding: var(--ps-space-2) var(--ps-space-3); }
    input[type='number'] { width: 5rem; }
    td.actions { white-space: nowrap; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    void catalogueChoices().then((c) => { this.choices = c; });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.commitDelete();
  }

  private async refresh(): Promise<void> {
    const dataset = this.app.value.dataset;
    if (!dataset) { this.jobs = []; return; }
    try {
      this.jobs = await listJobs(dataset.id);
      this.listError = '';
    } catch (error) {
      this.listError = errorMessage(error);
    }
  }

  private settings(): MatchJobSettings {
    const choice = this.choices.find((c) => c.id === this.catalogueId);
    return {
      catalogueId: this.catalogueId, catalogueName: choice?.name ?? this.catalogueId, k: this.k, method: this.method, sectionK: this.sectionK,
      verify: this.verify, encoderId: this.method === 'tfidf' && this.sectionK === 0 ? null : this.app.value.modelRef,
      matcherRef: this.matcherRef, matcherDtype: 'q4',
    };
  }

  private async start(): Promise<void> {
    const { dataset, modelRef, preferGpu, hubHost } = this.app.value;
    if (!dataset) return;
    const settings = this.settings();
    await this.task.run('Shortlisting sections (stage 1)', async (run) => {
      const job = await startJob(dataset, settings, { modelRef, hubHost, preferGpu, scope: this.scope }, run.signal, run.progress);
      this.openId = job.id;
      await this.refresh();
      if (job.status === 'done') return job;
      run.step(`Asking the Yes/No model about ${job.pairs} pairs (stage 2)`);
      return verifyJob(job, preferGpu, hubHost, run.signal, run.progress);
    });
    await this.refresh();
  }

  private async resume(job: MatchJobRecord): Promise<void> {
    const { preferGpu, hubHost } = this.app.value;
    this.openId = job.id;
    await this.task.run(`Resuming: ${job.pairs - job.verifiedPairs - job.failedPairs} pairs left for the Yes/No model`, (run) => verifyJob(job, preferGpu, hubHost, run.signal, run.progress));
    await this.refresh();
  }

  /** Hides the job at once and deletes it after UNDO_MS unless the user takes it back. */
  private deleteWithUndo(job: MatchJobRecord): void {
    this.commitDelete();
    this.pendingDelete = job;
    if (this.openId === job.id) this.openId = '';
    this.deleteTimer = setTimeout(() => this.commitDelete(), UNDO_MS);
  }

  private undoDelete(): void {
    clearTimeout(this.deleteTimer);
    this.pendingDelete = null;
  }

  private commitDelete(): void {
    clearTimeout(this.deleteTimer);
    const job = this.pendingDelete;
    this.pendingDelete = null;
    if (job) void deleteJob(job).then(() => this.refresh(), (error: unknown) => { this.listError = errorMessage(error); });
  }

  override render() {
    if (!this.app.value.dataset) return nothing;
    const jobs = this.jobs.filter((j) => j.id !== this.pendingDelete?.id);
    const stopped = jobs.find((j) => j.status !== 'done' && !(this.task.running && j.id === this.openId));
    const open = jobs.find((j) => j.id === this.openId);
    return html`
      <h2>Match the whole catalogue</h2>
      <p class="muted">Stage 1 shortlists the best sections for every patent; stage 2 asks the Yes/No model about each shortlisted pair. The job is kept in this browser as it goes: a reload or Cancel loses at most the batch in flight.</p>
      ${this.renderForm()}
      ${taskProgress(this.task)}
      ${this.task.state.kind === 'running' ? html`<p class="muted" id="job-status" data-state="running">${this.task.state.step}…</p>` : nothing}
      ${this.task.state.kind === 'idle' && this.task.state.cancelled ? html`<p class="muted" id="job-status" data-state="cancelled">Cancelled. What was verified is kept; Resume continues from there.</p>` : nothing}
      ${this.task.state.kind === 'error' ? taskError(this.task.state, { text: 'What was stored is kept. Resume the job, or start one with other settings.' }, 'job-error') : nothing}
      ${stopped && !this.task.running ? html`<ps-notice kind="info" id="job-resume-notice" next="Resume continues where it stopped.">
        A matching job stopped at ${stopped.verifiedPairs + stopped.failedPairs} of ${stopped.pairs} pairs (${stopped.settings.catalogueName}).
        <button slot="action" id="job-resume" @click=${() => void this.resume(stopped)}>Resume</button></ps-notice>` : nothing}
      ${this.pendingDelete ? html`<ps-notice kind="info" id="job-deleted" next="">The job of ${new Date(this.pendingDelete.createdAt).toLocaleString()} was deleted.
        <button slot="action" id="job-undo-delete" @click=${() => this.undoDelete()}>Undo</button></ps-notice>` : nothing}
      ${this.listError ? html`<ps-notice kind="error" id="jobs-error" next="Reload the page to try again.">${this.listError}</ps-notice>` : nothing}
      ${jobs.length > 0 ? this.renderJobs(jobs) : nothing}
      ${open ? html`<ps-match-job-results .job=${open} .threshold=${this.threshold} @job-changed=${() => void this.refresh()}></ps-match-job-results>` : nothing}
    `;
  }

  private renderForm() {
    const choice = this.choices.find((c) => c.id === this.catalogueId);
    const busy = this.task.running;
    const number = (e: Event) => Math.round(Number((e.target as HTMLInputElement).value));
    return html`<fieldset ?disabled=${busy}><legend>New job</legend><div class="row">
      <label>Catalogue <select id="job-catalogue" @change=${(e: Event) => (this.catalogueId = (e.target as HTMLSelectElement).value)}>
        ${this.choices.map((c) => html`<option value=${c.id} ?selected=${c.id === this.catalogueId}>${c.name} (${c.sections} sections, ${c.texts} with text)</option>`)}
      </select></label>
      ${this.catalogueId === BREF_CATALOGUE_ID ? html`<label>Sections <select id="job-scope" @change=${(e: Event) => (this.scope = (e.target as HTMLSelectElement).value as SectionScope)}>
        ${SCOPES.map((s) => html`<option value=${s.value} ?selected=${s.value === this.scope}>${s.label}</option>`)}</select></label>` : nothing}
      <label>Prefilter <select id="job-method" @change=${(e: Event) => (this.method = (e.target as HTMLSelectElement).value as PrefilterMethod)}>
        ${METHODS.map((m) => html`<option value=${m.value} ?selected=${m.value === this.method}>${m.label}</option>`)}</select></label>
      <label>Sections per patent (k) <input id="job-k" type="number" min="1" max="200" .value=${String(this.k)} @change=${(e: Event) => (this.k = Math.max(1, number(e)))}></label>
      <label>Best patents per section <input id="job-section-k" type="number" min="0" max="200" .value=${String(this.sectionK)} @change=${(e: Event) => (this.sectionK = Math.max(0, number(e)))}></label>
      <label><input id="job-verify" type="checkbox" .checked=${this.verify} @change=${(e: Event) => (this.verify = (e.target as HTMLInputElement).checked)}> Verify with</label>
      <select id="job-matcher" aria-label="Yes/No model" ?disabled=${!this.verify} @change=${(e: Event) => (this.matcherRef = (e.target as HTMLSelectElement).value)}>
        ${MATCHERS.map((m) => html`<option value=${m.ref} ?selected=${m.ref === this.matcherRef}>${m.label}</option>`)}</select>
      <button id="job-start" class="primary" ?disabled=${busy || !choice} @click=${() => void this.start()}>Start matching</button>
    </div>
    ${choice && choice.texts === 0 ? html`<p class="muted" id="job-no-texts">No section of this catalogue has a text loaded: sections are matched on their titles and headings. Load the section texts above for better matches.</p>` : nothing}
    ${this.method !== 'tfidf' || this.sectionK > 0 ? html`<p class="muted">The encoder cosines use the active model (${this.app.value.modelRef}); the patents' vectors are reused when stored.</p>` : nothing}
    </fieldset>`;
  }

  private renderJobs(jobs: MatchJobRecord[]) {
    return html`<table id="jobs" aria-label="Matching jobs of this dataset">
      <thead><tr><th>Started</th><th>Catalogue</th><th>Prefilter</th><th class="num">Pairs</th><th>State</th><th>Actions</th></tr></thead>
      <tbody>${jobs.map((j) => html`<tr data-job=${j.id} data-status=${j.status} aria-current=${j.id === this.openId ? 'true' : 'false'}>
        <td>${new Date(j.createdAt).toLocaleString()}</td>
        <td>${j.settings.catalogueName} <span class="muted">(${j.sections} sections, ${j.sectionsWithText} with text)</span></td>
        <td>${j.settings.method}, k = ${j.settings.k}${j.settings.sectionK ? ` + ${j.settings.sectionK} per section` : ''}${j.prefilterBackend ? html` <span class="muted">on ${j.prefilterBackend}</span>` : nothing}</td>
        <td class="num">${j.pairs}</td>
        <td>${stateText(j)}</td>
        <td class="actions">
          <button class="job-open" @click=${() => (this.openId = j.id)}>Open</button>
          ${j.status !== 'done' ? html`<button class="job-resume" ?disabled=${this.task.running} @click=${() => void this.resume(j)}>Resume</button>` : nothing}
          <button class="job-delete" ?disabled=${this.task.running && j.id === this.openId} @click=${() => this.deleteWithUndo(j)}>Delete</button>
        </td></tr>`)}</tbody></table>`;
  }
}

function stateText(job: MatchJobRecord): string {
  if (!job.settings.verify && !job.verifiedBy) return 'shortlist only';
  const answered = job.verifiedPairs;
  const failed = job.failedPairs ? `, ${job.failedPairs} failed` : '';
  if (job.status === 'done') return `verified (${answered} answered${failed})`;
  return `${job.status === 'failed' ? 'stopped on an error' : 'stopped'}: ${answered} of ${job.pairs} answered${failed}`;
}

customElements.define('ps-match-job', PsMatchJob);
declare global {
  interface HTMLElementTagNameMap { 'ps-match-job': PsMatchJob }
}
