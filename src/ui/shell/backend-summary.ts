/**
 * The shell's compact backend indicator, read from Explore's analysis: one word for the bar
 * (where embeddings and similarity ran) and the details it expands into.
 */
import type { TaskState } from '../shared/task-controller';
import type { ExploreValue } from '../explore/explore-status';

export type BackendTone = 'ok' | 'fallback' | 'busy' | 'error' | 'idle';

export interface BackendSummary {
  label: string;
  tone: BackendTone;
  /** Lines of the expanded details. */
  details: string[];
}

export function backendSummary(state: TaskState<ExploreValue>, preferGpu: boolean): BackendSummary {
  const wanted = preferGpu ? 'WebGPU preferred' : 'WebGPU switched off';
  switch (state.kind) {
    case 'idle':
      return { label: 'Idle', tone: 'idle', details: [wanted, state.cancelled ? 'The last run was cancelled.' : 'Nothing has run yet.'] };
    case 'running':
      return { label: 'Working', tone: 'busy', details: [wanted, `Running: ${state.step}`] };
    case 'error':
      // The message itself is on Explore, with what to do next; said once on the page, not twice.
      return { label: 'Error', tone: 'error', details: [wanted, 'The analysis did not finish: Explore says why.'] };
    case 'done': {
      const result = state.value;
      if (!result) return { label: 'No data', tone: 'idle', details: [wanted, 'No dataset to analyse.'] };
      const gpu = result.similarity.kind === 'webgpu';
      const embedDevice = result.encoder.device.toUpperCase();
      const fellBack = result.encoder.fallbackReasons.length > 0 || result.similarity.fallbackReason !== undefined;
      const label = gpu || embedDevice === 'WEBGPU' ? 'WebGPU' : 'CPU';
      return {
        label,
        tone: fellBack && preferGpu ? 'fallback' : 'ok',
        details: [
          wanted,
          `Embeddings: ${result.encoder.modelId} on ${embedDevice} (${result.encoder.dtype})`,
          `Similarity: ${gpu ? `WebGPU on ${result.similarity.adapterName}` : 'CPU'}`,
          ...result.encoder.fallbackReasons.map((reason) => `Embeddings fell back: ${reason}`),
          ...(result.similarity.fallbackReason ? [`Similarity fell back: ${result.similarity.fallbackReason}`] : []),
        ],
      };
    }
  }
}
