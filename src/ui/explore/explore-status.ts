/**
 * Explore's status line (`#status`, whose data-* attributes the browser tests read) and the
 * notices under it, for each state of the app's analysis run.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AnalysisResult } from '../../clients/pipeline';
import type { TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import '../shared/ps-notice';

/** The analysis' steps, as the status line names them. */
export const EXPLORE_STEP = { prepare: 'preparing data', embed: 'embed', similarity: 'similarity' } as const;

/** Null: the run found no dataset to analyse. */
export type ExploreValue = AnalysisResult | null;

export function renderExploreStatus(task: TaskController<ExploreValue>, retry: () => void): TemplateResult {
  const state = task.state;
  switch (state.kind) {
    case 'idle':
      return html`<p id="status" class="status">${state.cancelled ? 'Cancelled. Nothing was changed; press Run to start again.' : 'Starting…'}</p>`;
    case 'running':
      return html`<p id="status" class="status" data-state="running">Running: ${state.step}…</p>${taskProgress(task)}`;
    case 'error':
      return html`<p id="status" class="status" data-state="error">The analysis did not finish.</p>
        ${taskError(state, { text: 'Press Run to try again; if it fails again, switch WebGPU off or choose another model.', action: { label: 'Try again', run: retry } })}`;
    case 'done':
      return state.value ? renderResult(state.value) : html`<p id="status" class="status">No dataset: import patent files, or reload to get the demo corpus back.</p>
        <ps-notice kind="info" next="Import patent files to analyse them.">No dataset yet.<a slot="action" href="#/import">Import patents</a></ps-notice>`;
  }
}

function renderResult(result: AnalysisResult): TemplateResult {
  const similarity = result.similarity.kind === 'webgpu'
    ? `WebGPU on ${result.similarity.adapterName}${result.similarity.isFallbackAdapter ? ' (fallback adapter)' : ''}`
    : 'CPU';
  const notices = [
    ...result.encoder.fallbackReasons.map((r) => `Embeddings fell back to ${result.encoder.device.toUpperCase()}: ${r}`),
    ...(result.similarity.fallbackReason ? [`Similarity runs on the CPU: ${result.similarity.fallbackReason}`] : []),
  ];
  const methodLabel = result.method === 'techtoken' ? 'TechToken code tokens' : 'mean of patents';
  const embedTiming = result.embeddingsReused ? 'embed (stored) ' : 'embed ';
  return html`
    <p id="status" class="status" data-state="done" data-dataset=${result.datasetId} data-embed-device=${result.encoder.device} data-similarity-backend=${result.similarity.kind} data-method=${result.method}>
      ${result.patentCount} patents · ${result.codes.length} codes (${result.level.replace('_', ' ')}, ${methodLabel}) ·
      embeddings: ${result.encoder.modelId} on ${result.encoder.device.toUpperCase()} (${result.encoder.dtype}) ·
      similarity: ${similarity} · ${embedTiming}${Math.round(result.timingsMs.embed)} ms · similarity ${Math.round(result.timingsMs.similarity)} ms
    </p>
    ${notices.length > 0 ? html`<ps-notice kind="warning" id="fallback-notice">
      ${notices.map((n) => html`<div>${n.replace(/\.?$/, '.')} Results are the same, only slower.</div>`)}</ps-notice>` : nothing}
    ${result.methodNotice ? html`<ps-notice kind="info" id="method-notice">${result.methodNotice}</ps-notice>` : nothing}
    ${result.patentsWithoutText > 0 ? html`<ps-notice kind="info" id="untitled-notice">${result.patentsWithoutText.toLocaleString('en')}
      ${result.patentsWithoutText === 1 ? 'patent has' : 'patents have'} no title or abstract, so no text vector: they are left out of
      the code vectors here and still count in co-occurrence, the forecasts' null model and the graph baselines.</ps-notice>` : nothing}
    <section>
      <h2>Nearest technology codes</h2>
      <ps-neighbours-view .codes=${result.codes} .counts=${result.counts} .neighbours=${result.neighbours}></ps-neighbours-view>
    </section>`;
}
