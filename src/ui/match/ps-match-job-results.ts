import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { exportJobBatch, importJobBatch, jobPairs, jobSections, type BatchMergeReport, type JobSection, type MatchJobRecord, type MatchPair } from '../../clients/match-job-client';
import { jobRows, summarise, type JobRow, type JobSummary } from '../../clients/match-job-rows';
import { downloadCsv, downloadJson, downloadText } from '../download';
import { errorMessage } from '../shared/task-controller';
import { viewStyles } from '../theme/styles';
import '../shared/ps-notice';

const SHOWN_ROWS = 100;
const DEFAULT_BATCH_MODEL = 'meta-llama/Llama-3.1-8B-Instruct';

interface Loaded {
  jobId: string;
  updatedAt: number;
  pairs: MatchPair[];
  sections: JobSection[];
  summary: JobSummary;
  top: JobRow[];
}

/**
 * One job's results: its pairs ranked by final score (P(Yes) when verified, else the prefilter's),
 * CSV/JSON export of every pair, and the round trip through a server-size verifier (batch requests
 * out, the runner's output file back in). Fires `job-changed` after an import.
 */
export class PsMatchJobResults extends LitElement {
  static override properties = {
    job: { attribute: false }, threshold: { type: Number }, loaded: { state: true }, error: { state: true },
    batchModel: { state: true }, onlyOpen: { state: true }, importReport: { state: true }, importError: { state: true },
  };
  declare job: MatchJobRecord;
  declare threshold: number;
  declare loaded: Loaded | null;
  declare error: string;
  declare batchModel: string;
  declare onlyOpen: boolean;
  declare importReport: BatchMergeReport | null;
  declare importError: string;

  constructor() {
    super();
    this.threshold = 0.5;
    this.loaded = null;
    this.error = '';
    this.batchModel = DEFAULT_BATCH_MODEL;
    this.onlyOpen = false;
    this.importReport = null;
    this.importError = '';
  }

  static override styles = [...viewStyles, css`
    :host { display: block; margin-top: var(--ps-space-3); }
    tr.above td { background: color-mix(in srgb, var(--ps-success) 14%, transparent); }
    input.model { width: 22rem; }
  `];

  protected override willUpdate(changed: PropertyValues<this>): void {
    const job = this.job;
    const stale = !this.loaded || this.loaded.jobId !== job.id || this.loaded.updatedAt !== job.updatedAt;
    if (changed.has('job') && stale) void this.load(job);
    else if (changed.has('threshold') && this.loaded) void this.rank(this.loaded.pairs, this.loaded.sections, job);
  }

  private async load(job: MatchJobRecord): Promise<void> {
    try {
      const [pairs, sections] = await Promise.all([jobPairs(job), jobSections(job)]);
      await this.rank(pairs, sections, job);
      this.error = '';
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async rank(pairs: MatchPair[], sections: JobSection[], job: MatchJobRecord): Promise<void> {
    const summary = summarise(job, pairs, this.threshold);
    const top = await jobRows(job, pairs, sections, summary.order, 0, SHOWN_ROWS);
    if (this.job.id === job.id) this.loaded = { jobId: job.id, updatedAt: job.updatedAt, pairs, sections, summary, top };
  }

  private fileName(ext: string): string {
    return `match-job-${this.job.settings.catalogueId.replace(/[^\w.-]+/g, '-')}-${new Date(this.job.createdAt).toISOString().slice(0, 10)}.${ext}`;
  }

  private async export(format: 'csv' | 'json'): Promise<void> {
    const loaded = this.loaded;
    if (!loaded) return;
    const rows = await jobRows(this.job, loaded.pairs, loaded.sections, loaded.summary.order);
    const answer = (r: JobRow) => (r.pYes === null ? '' : r.pYes >= this.threshold ? 'Yes' : 'No');
    if (format === 'json') {
      const { settings, createdAt, status, verifiedBy } = this.job;
      downloadJson(this.fileName('json'), { job: { settings, createdAt, status, verifiedBy }, threshold: this.threshold, rows: rows.map((r) => ({ ...r, answer: answer(r) })) });
      return;
    }
    downloadCsv(this.fileName('csv'), ['rank', 'patent', 'title', 'year', 'section', 'section_title', 'prefilter', 'prefilter_rank', 'p_yes', 'score', 'answer', 'note'],
      rows.map((r) => [r.rank, r.patentId, r.title, r.year, r.sectionId, r.sectionTitle, round(r.prefilter), r.prefilterRank, r.pYes === null ? null : round(r.pYes), round(r.score), answer(r), note(r)]));
  }

  private async exportBatch(): Promise<void> {
    try {
      const { text } = await exportJobBatch(this.job, this.batchModel.trim() || DEFAULT_BATCH_MODEL, this.onlyOpen);
      downloadText(this.fileName('batch.jsonl'), text, 'application/jsonl');
    } catch (error) {
      this.importError = errorMessage(error);
    }
  }

  private async importBatch(input: HTMLInputElement): Promise<void> {
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    try {
      const { report } = await importJobBatch(this.job, file);
      this.importReport = report;
      this.importError = '';
      this.dispatchEvent(new CustomEvent('job-changed', { bubbles: true, composed: true }));
    } catch (error) {
      this.importReport = null;
      this.importError = errorMessage(error);
    }
  }

  override render() {
    const loaded = this.loaded?.jobId === this.job.id ? this.loaded : null;
    const verified = this.job.settings.verify || this.job.verifiedBy !== undefined;
    return html`
      <h3>Results of the job of ${new Date(this.job.createdAt).toLocaleString()}</h3>
      ${this.error ? html`<ps-notice kind="error" id="job-results-error" next="Open the job again, or delete it and start a new one.">${this.error}</ps-notice>` : nothing}
      ${loaded ? html`
        <p id="job-summary" data-pairs=${loaded.pairs.length} data-patents-above=${loaded.summary.patentsAbove}>
          ${verified ? html`${loaded.summary.patentsAbove} patents have a section at P(Yes) ≥ ${this.threshold.toFixed(2)} (${loaded.summary.pairsAbove} pairs) ·
            ${this.job.verifiedPairs} of ${this.job.pairs} pairs answered${this.job.verifiedBy ? ` by ${this.job.verifiedBy}` : ''}`
            : html`${loaded.pairs.length} shortlisted pairs, ranked by the prefilter (not verified)`}
          <button id="job-csv" @click=${() => void this.export('csv')}>CSV</button>
          <button id="job-json" @click=${() => void this.export('json')}>JSON</button></p>
        ${this.job.lastError ? html`<ps-notice kind="warning" id="job-last-error" next="The other pairs are scored; the export marks the ones that are not.">${this.job.failedPairs} pairs not scored: ${this.job.lastError}</ps-notice>` : nothing}
        ${loaded.top.length === 0 ? html`<ps-notice kind="info" id="job-empty" next="Try the encoder or fusion prefilter, or load the section texts.">The prefilter found no section sharing a word with any patent.</ps-notice>` : html`
        <table id="job-table" aria-label="Shortlisted pairs ranked by score">
          <thead><tr><th class="num">Rank</th><th>Patent</th><th>Title</th><th>Section</th><th class="num">Prefilter</th><th class="num">P(Yes)</th><th>Note</th></tr></thead>
          <tbody>${loaded.top.map((r) => html`<tr class=${r.pYes !== null && r.pYes >= this.threshold ? 'above' : ''}>
            <td class="num">${r.rank}</td><td>${r.patentId}</td><td>${r.title}</td>
            <td><span class="muted">${r.sectionId}</span> ${r.sectionTitle}</td>
            <td class="num">${r.prefilter.toFixed(3)}${r.prefilterRank ? ` (#${r.prefilterRank})` : ''}</td>
            <td class="num">${r.pYes === null ? '–' : r.pYes.toFixed(3)}</td><td class="note">${note(r)}</td></tr>`)}</tbody>
        </table>
        ${loaded.pairs.length > SHOWN_ROWS ? html`<p class="muted">Showing the top ${SHOWN_ROWS}; the export has all ${loaded.pairs.length} pairs.</p>` : nothing}`}
        <details id="job-batch"><summary>Verify on a server instead (vLLM or OpenAI batch)</summary>
          <p class="muted">Exports the shortlist as OpenAI-style batch requests with the seed's prompt (one output token, Yes/No log-probabilities). Run them with e.g.
            <code>python -m vllm.entrypoints.openai.run_batch -i requests.jsonl -o output.jsonl --model ${this.batchModel}</code>, then load the output file here: its P(Yes) join this job.</p>
          <div class="row">
            <label>Model name <input class="model" id="job-batch-model" .value=${this.batchModel} @change=${(e: Event) => (this.batchModel = (e.target as HTMLInputElement).value)}></label>
            <label><input id="job-batch-open" type="checkbox" .checked=${this.onlyOpen} @change=${(e: Event) => (this.onlyOpen = (e.target as HTMLInputElement).checked)}> only pairs without P(Yes)</label>
            <button id="job-batch-export" @click=${() => void this.exportBatch()}>Export batch requests</button>
            <label for="job-batch-import">Load batch output…</label>
            <input id="job-batch-import" type="file" accept=".jsonl,.ndjson,.json,.txt" @change=${(e: Event) => void this.importBatch(e.target as HTMLInputElement)}>
          </div>
          ${this.importError ? html`<ps-notice kind="error" id="job-batch-error" next="Nothing was changed. Check that the file is the output of this job's requests.">${this.importError}</ps-notice>` : nothing}
          ${this.importReport ? html`<p id="job-batch-report" data-matched=${this.importReport.matched}>${this.importReport.matched} answers joined the job${this.importReport.failed ? `, ${this.importReport.failed} without a usable answer (${this.importReport.failedReason ?? ''})` : ''}${this.importReport.unknown ? `, ${this.importReport.unknown} for pairs this job does not have` : ''}${this.importReport.lineErrorCount ? `, ${this.importReport.lineErrorCount} unreadable lines (first: line ${this.importReport.lineErrors[0]?.line}, ${this.importReport.lineErrors[0]?.reason})` : ''}; ${this.importReport.stillMissing} pairs still without P(Yes).</p>` : nothing}
        </details>` : html`<p class="muted" id="job-loading">Reading the job…</p>`}
    `;
  }
}

function round(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(6)) : null;
}

function note(row: JobRow): string {
  const notes = [];
  if (row.truncated) notes.push("text cut to fit the model's context");
  if (row.sectionHeadingsOnly) notes.push('section matched on its headings (no text loaded)');
  if (row.prefilterRank === 0) notes.push("brought by the section's best patents");
  return notes.join('; ');
}

customElements.define('ps-match-job-results', PsMatchJobResults);
declare global {
  interface HTMLElementTagNameMap { 'ps-match-job-results': PsMatchJobResults }
}
