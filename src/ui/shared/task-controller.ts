/**
 * One long task of a view (embed, lay out, forecast, match…) in four states: idle, running with
 * progress and cancel, done, error. Starting a run aborts the one before, and a replaced run's
 * progress and result are thrown away, so a slow old run can never overwrite a newer state.
 * Cancelling returns to idle (`cancelled: true`) rather than to an error: it is a normal outcome.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Progress } from '../../core/progress';

export type TaskState<T> =
  | { kind: 'idle'; cancelled: boolean }
  | { kind: 'running'; step: string; progress: Progress | null }
  | { kind: 'done'; value: T }
  | { kind: 'error'; error: unknown; message: string };

/** What a run's work function gets: its signal, and ways to report while it is the current run. */
export interface TaskRun {
  readonly signal: AbortSignal;
  /** True while no newer run (or cancel) replaced this one. */
  readonly current: boolean;
  progress(progress: Progress): void;
  /** Names the step now running; its progress starts empty. */
  step(label: string): void;
}

export class TaskController<T> implements ReactiveController {
  state: TaskState<T> = { kind: 'idle', cancelled: false };
  private controller: AbortController | null = null;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  get running(): boolean {
    return this.state.kind === 'running';
  }

  /** The last finished value, or undefined in any other state. */
  get value(): T | undefined {
    return this.state.kind === 'done' ? this.state.value : undefined;
  }

  /**
   * Runs `work` as the current task. Resolves with the value when this run finished as the current
   * one, undefined when it was cancelled, replaced or failed (the state says which).
   */
  async run(step: string, work: (run: TaskRun) => Promise<T>): Promise<T | undefined> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const isCurrent = () => this.controller === controller;
    const run: TaskRun = {
      signal: controller.signal,
      get current() { return isCurrent(); },
      progress: (progress) => {
        if (isCurrent() && this.state.kind === 'running') this.set({ ...this.state, progress });
      },
      step: (label) => {
        if (isCurrent()) this.set({ kind: 'running', step: label, progress: null });
      },
    };
    this.set({ kind: 'running', step, progress: null });
    try {
      const value = await work(run);
      if (!isCurrent()) return undefined;
      this.controller = null;
      this.set({ kind: 'done', value });
      return value;
    } catch (error) {
      if (!isCurrent()) return undefined;
      this.controller = null;
      // Only the user's cancel is a cancel: an AbortError the user did not cause (IndexedDB aborts
      // a transaction when the disk or quota is full) is a failure and says so.
      this.set(controller.signal.aborted
        ? { kind: 'idle', cancelled: true }
        : { kind: 'error', error, message: errorMessage(error) });
      return undefined;
    }
  }

  /** Stops the running task; the view returns to idle with `cancelled` set. */
  cancel(): void {
    const controller = this.controller;
    if (!controller) return;
    this.controller = null;
    controller.abort();
    this.set({ kind: 'idle', cancelled: true });
  }

  /** Back to idle without a run (e.g. the dataset changed); a running task is aborted quietly. */
  reset(): void {
    this.controller?.abort();
    this.controller = null;
    this.set({ kind: 'idle', cancelled: false });
  }

  hostDisconnected(): void {
    this.controller?.abort();
    this.controller = null;
  }

  private set(state: TaskState<T>): void {
    this.state = state;
    this.host.requestUpdate();
  }
}

/** An error as a sentence for the page: the named error classes keep their name in front. */
export function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
