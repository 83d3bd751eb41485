/**
 * The main-thread side of every worker: lazy start, a fresh worker after a failed start, and
 * cancellation forwarded by task id. Workers are stood in for by MessageChannel ports running
 * real Comlink endpoints, so what is tested is the client code, not a mock of Comlink.
 */
import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { LazyWorker, runCancellable } from '../../src/clients/worker-client';

class Engine {
  readonly aborted: string[] = [];
  private readonly waiting = new Map<string, () => void>();
  ping(): string {
    return 'pong';
  }
  /** Resolves when aborted: stands for a long task that honours abort(taskId). */
  long(taskId: string): Promise<string> {
    return new Promise((resolve) => this.waiting.set(taskId, () => resolve(`stopped ${taskId}`)));
  }
  abort(taskId: string): void {
    this.aborted.push(taskId);
    this.waiting.get(taskId)?.();
  }
  abortedIds(): string[] {
    return this.aborted;
  }
}

/** A Worker-shaped wrapper of one MessagePort; `fail()` fires the 'error' a broken start fires. */
class PortWorker extends EventTarget {
  terminated = false;
  constructor(private readonly port: MessagePort) {
    super();
    port.addEventListener('message', (event) => this.dispatchEvent(new MessageEvent('message', { data: event.data })));
    port.start();
  }
  postMessage(message: unknown, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }
  fail(): void {
    this.dispatchEvent(new Event('error'));
  }
}

const opened: MessagePort[] = [];
function makeWorker(created: PortWorker[]): () => Worker {
  return () => {
    const { port1, port2 } = new MessageChannel();
    opened.push(port1, port2);
    Comlink.expose(new Engine(), port1);
    const worker = new PortWorker(port2);
    created.push(worker);
    return worker as unknown as Worker;
  };
}
afterEach(() => {
  for (const p of opened.splice(0)) p.close();
});

describe('LazyWorker', () => {
  it('starts its worker on first use only, and once', async () => {
    const created: PortWorker[] = [];
    const lazy = new LazyWorker<Engine>(makeWorker(created));
    expect(created).toHaveLength(0);
    await expect(lazy.get().ping()).resolves.toBe('pong');
    await expect(lazy.get().ping()).resolves.toBe('pong');
    expect(created).toHaveLength(1);
  });

  it('drops a worker whose start failed, so the next call starts a new one', async () => {
    const created: PortWorker[] = [];
    const lazy = new LazyWorker<Engine>(makeWorker(created));
    lazy.get();
    created[0].fail();
    expect(created[0].terminated).toBe(true);
    await expect(lazy.get().ping()).resolves.toBe('pong');
    expect(created).toHaveLength(2);
  });
});

describe('runCancellable', () => {
  it('forwards an abort to the worker with the task id the task was started with', async () => {
    const lazy = new LazyWorker<Engine>(makeWorker([]));
    const engine = lazy.get();
    const controller = new AbortController();
    let started = '';
    const result = runCancellable(engine, controller.signal, (taskId) => {
      started = taskId;
      return engine.long(taskId);
    });
    controller.abort();
    await expect(result).resolves.toBe(`stopped ${started}`);
    await expect(engine.abortedIds()).resolves.toEqual([started]);
  });

  it('does not start a task whose signal is already aborted', async () => {
    const lazy = new LazyWorker<Engine>(makeWorker([]));
    const engine = lazy.get();
    const controller = new AbortController();
    controller.abort();
    let ran = false;
    await expect(runCancellable(engine, controller.signal, async () => {
      ran = true;
      return 'ran';
    })).rejects.toMatchObject({ name: 'AbortError' });
    expect(ran).toBe(false);
  });
});
