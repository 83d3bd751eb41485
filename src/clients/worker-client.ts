import * as Comlink from 'comlink';
import { installBoundary } from '../../workers/boundary';

// Errors thrown in a worker reach the page with their class and fields.
installBoundary();

/** What every engine exposes so a client can cancel a task running inside its worker. */
export interface Abortable {
  abort(taskId: string): void;
}

/**
 * Creates the worker on first use; a worker that fails to start is dropped so the next call
 * retries instead of hanging on a dead connection.
 */
export class LazyWorker<T> {
  private remote: Comlink.Remote<T> | null = null;
  private worker: Worker | null = null;

  constructor(private readonly create: () => Worker) {}

  get(): Comlink.Remote<T> {
    if (!this.remote) {
      const worker = this.create();
      worker.addEventListener('error', () => this.terminate(), { once: true });
      this.worker = worker;
      this.remote = Comlink.wrap<T>(worker);
    }
    return this.remote;
  }

  /** Whether the worker runs now (get() starts it): a caller that only wants to ask a loaded model checks first. */
  get started(): boolean {
    return this.remote !== null;
  }

  terminate(): void {
    this.remote?.[Comlink.releaseProxy]();
    this.worker?.terminate();
    this.remote = null;
    this.worker = null;
  }
}

let taskCounter = 0;

/** Runs a worker task under a main-thread AbortSignal by forwarding abort() with a task id. */
export async function runCancellable<R>(
  engine: Comlink.Remote<Abortable>,
  signal: AbortSignal | undefined,
  task: (taskId: string) => Promise<R>,
): Promise<R> {
  const taskId = `task-${++taskCounter}`;
  const onAbort = () => void engine.abort(taskId);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (signal?.aborted) throw new DOMException('The operation was cancelled.', 'AbortError');
    return await task(taskId);
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
