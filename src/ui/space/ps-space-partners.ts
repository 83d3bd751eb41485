import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { ForecastTarget } from '../../clients/chat-grounding-client';
import { futurePartners, type PartnersResult } from '../../clients/space-client';
import type { PartnerBasis } from '../../core/forecast/partner-table';
import type { CodeLevel } from '../../core/types';
import { IpcTitlesController } from '../shared/ipc-titles-controller';
import { TaskController } from '../shared/task-controller';
import { taskProgress } from '../shared/task-view';
import { baseStyles, controlStyles, tableStyles } from '../theme/styles';
import { fireSpaceControl } from './space-control';
import '../chat/ps-add-to-chat';
import '../shared/ps-notice';

/**
 * The focused code's most likely future partners: codes it has never been combined with, ranked
 * by the method that won a backtest on the dataset's own last years (or the stated fallback). The
 * compute worker ranks every code once per dataset; this panel asks for one code's list. A row
 * flies to its code from its code's button or a click on the row (Shift adds it), and each pair can be added to the chat.
 * @fires space-control - select
 */
export class PsSpacePartners extends LitElement {
  static override properties = {
    datasetId: { attribute: false }, modelRef: { attribute: false }, level: { attribute: false }, code: { attribute: false },
  };
  declare datasetId: string;
  declare modelRef: string;
  declare level: CodeLevel;
  /** The focused code, or null. */
  declare code: string | null;
  private readonly titles = new IpcTitlesController(this);
  /** One code's ranking: a new code replaces (and cancels) the ask before, whose answer is dropped. */
  private readonly task = new TaskController<PartnersResult>(this);

  constructor() {
    super();
    Object.assign(this, { datasetId: '', modelRef: '', level: 'subclass', code: null });
  }

  static override styles = [baseStyles, controlStyles, tableStyles, css`
    :host { display: block; margin-top: var(--ps-space-3); }
    table { width: 100%; }
    th, td { padding: var(--ps-space-1) var(--ps-space-2); vertical-align: top; }
    .basis { margin: 0 0 var(--ps-space-2); }
    .title { font-size: var(--ps-text-xs); color: var(--ps-text-muted); margin-bottom: var(--ps-space-1); }
  `];

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('datasetId') || changed.has('modelRef') || changed.has('level') || changed.has('code')) void this.load();
  }

  private async load(): Promise<void> {
    const { datasetId, modelRef, level, code } = this;
    if (!code || !datasetId) {
      this.task.reset();
      return;
    }
    // The first ask for a dataset backtests every method on its last years: progress, ETA and Cancel.
    await this.task.run(`Ranking the codes ${code} has never been combined with (the first time for this dataset, every forecasting method is backtested on its last years)`,
      (run) => futurePartners(datasetId, modelRef, level, code, run.signal, run.progress));
  }

  override render() {
    const code = this.code;
    if (!code) return nothing;
    const heading = html`<h3>Likely future partners of ${code}</h3>`;
    const state = this.task.state;
    switch (state.kind) {
      case 'idle':
        return state.cancelled ? html`<section id="partners" data-state="cancelled">${heading}
          <p class="muted">Cancelled: nothing was ranked. <button id="partners-retry" @click=${() => void this.load()}>Rank again</button></p></section>` : nothing;
      case 'running':
        return html`<section id="partners" data-state="loading">${heading}${taskProgress(this.task)}</section>`;
      case 'error':
        return html`<section id="partners" data-state="error">${heading}
          <ps-notice kind="error" next="Try again; if it fails again, open Forecast to run the methods there.">The future partners could not be ranked: ${state.message}
            <button slot="action" id="partners-retry" @click=${() => void this.load()}>Try again</button></ps-notice></section>`;
      case 'done': return this.renderDone(code, state.value);
    }
  }

  private renderDone(code: string, result: PartnersResult) {
    const { basis, partners } = result;
    const select = (partner: string, additive: boolean) => fireSpaceControl(this, { kind: 'select', code: partner, additive });
    const target = (partner: string, score: number): ForecastTarget => ({ kind: 'forecast', a: code, b: partner, score, titles: [this.titles.own(code), this.titles.own(partner)] });
    // The pair's chat button sits in a row whose click flies to the code: its clicks and keys stay its own.
    const keep = (e: Event) => e.stopPropagation();
    return html`<section id="partners" data-state="done" data-method=${basis.method} data-kind=${basis.kind}
      data-auc=${basis.auc === null ? '' : String(basis.auc)} data-fallback=${String(basis.fallback !== null)} data-count=${partners.length}>
      <h3>Likely future partners of ${code}</h3>
      <p class="muted basis" id="partners-basis">${describeBasis(basis, code)}</p>
      ${result.empty ? html`<p class="muted" id="partners-empty">${result.empty}</p>` : html`
      <table id="partners-table" aria-label="Likely future partners of ${code}, ranked by ${basis.method}">
        <thead><tr><th class="num">Rank</th><th>Code</th><th class="num" title="Score of ${basis.method}: higher means more likely to be combined next">Score</th></tr></thead>
        <tbody>${partners.map((p, rank) => html`<tr class="pick" data-code=${p.code} data-score=${String(p.score)}
          @click=${(e: MouseEvent) => select(p.code, e.shiftKey)}>
          <td class="num">${rank + 1}</td>
          <td><button class="row-button partner-select" title="Fly to ${p.code} (Shift adds it)">${p.code}</button><div class="title">${this.titles.line(p.code)}</div>
            <ps-add-to-chat class="partner-add-to-chat" .target=${target(p.code, p.score)} @click=${keep} @keydown=${keep}></ps-add-to-chat></td>
          <td class="num">${formatScore(p.score)}</td></tr>`)}</tbody>
      </table>`}
    </section>`;
  }
}

/** Which method ranked the list, how it did and on which years; or the fallback and why. */
function describeBasis(basis: PartnerBasis, code: string) {
  const pool = `Candidates: codes with patents in ${basis.codeYears} that no patent of the dataset has combined with ${code} so far.`;
  const leftOut = basis.leftOut.length ? html` <span id="partners-left-out">Left out: ${basis.leftOut.map((m) => `${m.method} (${m.reason})`).join('; ')}.</span>` : nothing;
  if (basis.fallback !== null || basis.auc === null || !basis.backtest) {
    return html`Ranked by <strong id="partners-method">${basis.method}</strong> over the co-occurrence graph of every patent, without a backtest:
      ${basis.fallback}. ${pool}${leftOut}`;
  }
  const { learn, embed, score } = basis.backtest;
  const pairs = basis.backtestPairs;
  // The AUC is the recipe's, fitted one window earlier; the list's model is the same recipe refitted on the backtest.
  const refit = basis.hybridYears ? ` The ranking hybrid is refitted on this backtest (years ${basis.hybridYears.first}–${basis.hybridYears.last}); its AUC is the same recipe's, fitted one window earlier.` : '';
  const contenders = basis.compared.filter((m) => m.method !== 'random' && !Number.isNaN(m.auc)).length;
  const runnersUp = basis.compared.filter((m) => m.method !== basis.method && m.method !== 'random' && !Number.isNaN(m.auc)).slice(0, 2).map((m) => `${m.method} ${m.auc.toFixed(3)}`).join(', ');
  return html`Ranked by <strong id="partners-method">${basis.method}</strong>, the best of ${contenders} methods (random as the reference) on a backtest in this dataset:
    <span id="partners-auc">AUC ${basis.auc.toFixed(3)}</span> (learn ${learn}, embed ${embed}, score ${score}${pairs ? `; ${pairs.positives} of ${pairs.pairs} new pairs came true` : ''}${runnersUp ? `; next: ${runnersUp}` : ''}).${refit}
    ${pool}${leftOut}`;
}

function formatScore(score: number): string {
  return score !== 0 && Math.abs(score) < 0.001 ? score.toExponential(2) : score.toFixed(3);
}

customElements.define('ps-space-partners', PsSpacePartners);
declare global {
  interface HTMLElementTagNameMap { 'ps-space-partners': PsSpacePartners }
}
