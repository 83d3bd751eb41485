/**
 * The patent map's status line and the notices under it, for each state of its task: what is on
 * screen, how it was computed, what is selected, and what to do when there is nothing to show.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Selection } from '../../clients/selection-client';
import type { MapLayout } from '../../clients/engine-types';
import type { TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import '../shared/ps-notice';

export type MapStatusState = 'no-dataset' | 'checking' | 'empty' | 'embedding' | 'preview' | 'running' | 'done' | 'error';

/** What a map run ends with: a layout on screen, or no vectors to place. */
export type MapOutcome = 'layout' | 'empty';

/** The steps of a map run, as its progress names them. */
export const STEP = { check: 'Reading the stored patent vectors', embed: 'Embedding the patents', layout: 'Computing the layout' } as const;

export interface MapStateInput {
  task: TaskController<MapOutcome>;
  layout: MapLayout | null;
  selection: { size: number; source: Selection['source']; codes: number };
  matchCount: number | null;
  drawMs: number;
  runs: number;
  vectorsMissing: boolean;
  /** The settings ask for UMAP (a PCA preview is followed by it). */
  umap: boolean;
  datasetName: string;
  /** The dataset's patents; those without text have no vector, so are not on the map. */
  patentCount: number;
  modelRef: string;
  /** The one selected patent, when exactly one is: its details open in the dashboard. */
  singlePatent?: string;
}

/** One sentence about a layout: method and settings, k-NN backend, topics, computed or stored. */
export function describeLayout(l: MapLayout): string {
  const what = l.method === 'umap'
    ? `UMAP 2D (seed ${l.settings.seed}, ${l.settings.neighbours} neighbours, min dist ${l.settings.minDist})`
    : `PCA 2D (seed ${l.settings.seed})`;
  const knn = l.knn
    ? ` · k-NN ${l.knn.source === 'webgpu' ? `on WebGPU (${l.knn.adapterName ?? 'GPU'})` : `on the CPU (${l.knn.source === 'cpu-exact' ? 'exact' : 'approximate'})`}`
    : '';
  const time = l.cached ? ' · stored layout' : ` · computed in ${(l.timingsMs.total / 1000).toFixed(1)} s`;
  return `${what} of ${l.ids.length} patents${knn} · ${l.topics.length} topics${time}`;
}

function statusState(input: MapStateInput): MapStatusState {
  const state = input.task.state;
  switch (state.kind) {
    case 'idle': return state.cancelled ? (input.vectorsMissing ? 'empty' : 'done') : 'checking';
    case 'running': return state.step === STEP.embed ? 'embedding' : state.step === STEP.check ? 'checking' : input.layout ? 'preview' : 'running';
    case 'done': return state.value === 'empty' ? 'empty' : 'done';
    case 'error': return 'error';
  }
}

/** `#map-status` (its data-* attributes are what the browser tests read), then progress or notices. */
export function renderMapState(input: MapStateInput, actions: { embed: () => void; compute: () => void }): TemplateResult {
  const { layout, task } = input;
  const state = statusState(input);
  const selection = input.selection.size === 0 ? nothing
    : html` · <strong id="map-selection" data-source=${input.selection.source}>${input.selection.size} selected</strong>${input.selection.source === 'space' ? ` (from the technology space, ${input.selection.codes} ${input.selection.codes === 1 ? 'code' : 'codes'})` : ''}${input.singlePatent
      ? html` · <a id="map-open-patent" href=${`#/dashboard?patent=${encodeURIComponent(input.singlePatent)}`}>${input.singlePatent} in the pollution dashboard</a>` : nothing}`;
  const line = (text: unknown) => html`<p id="map-status" class="status" data-state=${state} data-layout=${layout?.method ?? ''}
    data-points=${layout?.ids.length ?? 0} data-hash=${layout?.hash ?? ''} data-knn=${layout?.knn?.source ?? ''} data-cached=${String(layout?.cached ?? false)}
    data-topics=${layout?.topics.length ?? 0} data-selected=${input.selection.size} data-highlighted=${input.matchCount ?? ''}
    data-draw-ms=${input.drawMs.toFixed(2)} data-run=${input.runs}>${text}</p>`;
  const taskState = task.state;
  switch (state) {
    case 'no-dataset':
    case 'checking':
      return html`${line('Reading the stored patent vectors…')}${taskProgress(task)}`;
    case 'empty':
      return html`${line(html`“${input.datasetName}” has no patent vectors of ${input.modelRef} yet, so there is nothing to place on the map.`)}
        <ps-notice kind="info" next="The Explore run embeds the patents when the app opens: wait for it to finish and the map appears, or embed them here.">No patent vectors yet.
          <button slot="action" id="map-embed" @click=${actions.embed}>Embed patents now</button></ps-notice>`;
    case 'embedding':
      return html`${line('Embedding the patents…')}${taskProgress(task)}`;
    case 'preview':
    case 'running':
      return html`${line(layout ? html`Showing: ${describeLayout(layout)}. ${input.umap ? 'Computing UMAP…' : ''}${selection}` : 'Computing PCA…')}${taskProgress(task)}`;
    case 'done': {
      const cancelled = taskState.kind === 'idle' && taskState.cancelled;
      const fallback = layout?.knn?.fallbackReason && layout.knn.source !== 'webgpu' ? layout.knn.fallbackReason : '';
      const unplaced = layout ? input.patentCount - layout.ids.length : 0;
      return html`${line(layout ? html`Showing: ${describeLayout(layout)}${selection}` : 'Nothing to show.')}
        ${cancelled ? html`<ps-notice kind="info" id="map-note">${layout ? `UMAP cancelled: showing ${layout.method.toUpperCase()}.` : 'Cancelled.'}
          <button slot="action" @click=${actions.compute}>Compute UMAP</button></ps-notice>` : nothing}
        ${unplaced > 0 ? html`<ps-notice kind="info" id="map-unplaced">${unplaced.toLocaleString('en')} of the ${input.patentCount.toLocaleString('en')}
          patents have no title or abstract, so no vector: they are not on the map (they still count in co-occurrence and forecasts).</ps-notice>` : nothing}
        ${fallback ? html`<ps-notice kind="warning" id="map-knn-note">k-NN on the CPU: ${fallback}. The map is the same, only slower to compute.</ps-notice>` : nothing}`;
    }
    case 'error':
      return taskState.kind === 'error'
        ? html`${line(taskState.message)}${taskError(taskState, { text: 'Check the layout settings and compute again.', action: { label: 'Try again', run: actions.compute } })}`
        : line('');
  }
}
