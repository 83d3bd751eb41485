/** The running and error states of a TaskController, drawn the same way in every view. */
import { html, nothing, type TemplateResult } from 'lit';
import type { TaskController, TaskState } from './task-controller';
import '../ps-progress';
import './ps-notice';

/** Progress with Cancel while the task runs; nothing otherwise. */
export function taskProgress<T>(task: TaskController<T>): TemplateResult | typeof nothing {
  const state = task.state;
  if (state.kind !== 'running') return nothing;
  return html`<ps-progress .progress=${state.progress} label=${state.step} @cancel=${() => task.cancel()}></ps-progress>`;
}

export interface NextStep {
  /** The next step in words. */
  text: string;
  /** A button for it, when one click does it. */
  action?: { label: string; run: () => void; id?: string };
}

/** An error notice: what happened, then what to do next. */
export function taskError(state: Extract<TaskState<unknown>, { kind: 'error' }>, next: NextStep, id?: string): TemplateResult {
  return html`<ps-notice kind="error" id=${id ?? nothing} data-state="error" .next=${next.text}>${state.message}
    ${next.action ? html`<button slot="action" id=${next.action.id ?? nothing} @click=${next.action.run}>${next.action.label}</button>` : nothing}</ps-notice>`;
}
