/** The technology space's status line for each state of its task; its data-* attributes are what the browser tests read. */
import { html, nothing, type TemplateResult } from 'lit';
import type { SpaceOutcome, SpaceResult } from '../../core/layout/space';
import type { TaskController } from '../shared/task-controller';
import { taskError, taskProgress } from '../shared/task-view';
import '../shared/ps-notice';

export const SPACE_STEP = { embed: 'Embedding patents', layout: 'Laying out the technology space' } as const;

export interface SpaceStatusInput {
  task: TaskController<SpaceOutcome>;
  datasetName: string;
  /** Codes drawn by the scene now (0 until the three.js scene has drawn this layout). */
  instances: number;
  focusCode: string | null;
  positionsKey: string;
  time: number | null;
}

function doneLine(result: SpaceResult, input: SpaceStatusInput): TemplateResult {
  const layout = result.layout;
  const backend = layout.backend.kind === 'webgpu' ? `WebGPU (${layout.backend.adapterName ?? 'adapter'})` : `CPU${layout.backend.fallbackReason ? ` (${layout.backend.fallbackReason})` : ''}`;
  const aligned = layout.alignment.filter((a) => a.shared > 0);
  const rms = aligned.length ? aligned.reduce((sum, a) => sum + a.rmsAfter, 0) / aligned.length : 0;
  const frames = layout.windows.length;
  return html`<p class="muted" id="space-status" data-state="done" data-instances=${input.instances} data-codes=${layout.codes.length}
    data-selected=${input.focusCode ?? ''} data-positions-hash=${input.positionsKey} data-time=${input.time === null ? 'all' : input.time.toFixed(2)}
    data-frames=${frames} data-backend=${layout.backend.kind} data-projection=${layout.settings.projection} data-from-cache=${String(result.fromCache)}>
    ${layout.codes.length} codes (${layout.level.replace('_', ' ')}) from ${result.patents} patents · ${layout.settings.projection.toUpperCase()} seed ${layout.settings.seed}
    · ${frames} windows of ${layout.settings.windowSize} years every ${layout.settings.windowStep}, Procrustes-aligned (mean RMS to reference ${rms.toFixed(3)})
    · nearest codes on ${backend} · ${result.fromCache ? 'from cache' : `${Math.round(layout.timingsMs.total)} ms`}
    · PCA axes explain ${(layout.explainedVariance.view * 100).toFixed(0)} % (3D) / ${(layout.explainedVariance.frame * 100).toFixed(0)} % (alignment frame)</p>`;
}

/** Status for every state but the drawn space itself; `done` returns the line the view puts above its stage. */
export function renderSpaceStatus(input: SpaceStatusInput, actions: { embed: () => void; recompute: () => void }): TemplateResult | typeof nothing {
  const state = input.task.state;
  switch (state.kind) {
    case 'idle':
      return html`<p class="muted" id="space-status" data-state="idle">${state.cancelled ? 'Cancelled. ' : ''}Press “Recompute” to lay out the technology space.</p>`;
    case 'running':
      return html`<p class="muted" id="space-status" data-state="running">${state.step}…</p>${taskProgress(input.task)}`;
    case 'error':
      return html`<p class="muted" id="space-status" data-state="error">The technology space could not be laid out.</p>
        ${taskError(state, { text: 'Check the settings and recompute.', action: { label: 'Recompute', run: actions.recompute } }, 'space-error')}`;
    case 'done': {
      const outcome = state.value;
      if (outcome.kind === 'layout') return doneLine(outcome, input);
      return html`<ps-notice kind="info" id="space-status" data-state="no-embeddings"
        next="Run Explore first, or embed them here (the same step, stored for every view).">
        The ${outcome.patents} patents of “${input.datasetName}” have no embeddings with ${outcome.modelId} yet.
        <button slot="action" id="embed-now" @click=${actions.embed}>Embed patents now</button></ps-notice>`;
    }
  }
}
