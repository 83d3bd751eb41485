/**
 * AbortSignal cannot cross a worker boundary, so engines take a task id and the client calls
 * `abort(taskId)` when its own signal fires. On the main thread a caller may pass a signal directly.
 */
export class AbortRegistry {
  private readonly controllers = new Map<string, AbortController>();

  begin(taskId: string | undefined, outer?: AbortSignal): AbortSignal {
    const controller = new AbortController();
    if (outer) {
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    }
    if (taskId !== undefined) this.controllers.set(taskId, controller);
    return controller.signal;
  }

  abort(taskId: string): void {
    this.controllers.get(taskId)?.abort(abortError());
  }

  end(taskId: string | undefined): void {
    if (taskId !== undefined) this.controllers.delete(taskId);
  }
}

export function abortError(): DOMException {
  return new DOMException('The operation was cancelled.', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError();
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/**
 * Options every engine method accepts; `taskId` is how a worker client cancels. Progress callbacks
 * are a separate top-level argument because comlink can proxy a function argument, not a function
 * nested in an object.
 */
export interface TaskOptions {
  taskId?: string;
  signal?: AbortSignal;
}
