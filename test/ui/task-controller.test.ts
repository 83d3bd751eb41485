/**
 * The one long-task controller every view uses: four states, progress only from the current run,
 * a newer run replaces an older one (whose late result is dropped), cancel is not an error.
 */
import { describe, expect, it } from 'vitest';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Progress } from '../../src/core/progress';
import { errorMessage, TaskController } from '../../src/ui/shared/task-controller';

function host(): ReactiveControllerHost & { updates: number; controllers: ReactiveController[] } {
  const h = {
    updates: 0,
    controllers: [] as ReactiveController[],
    addController(c: ReactiveController) { h.controllers.push(c); },
    removeController() {},
    requestUpdate() { h.updates++; },
    get updateComplete() { return Promise.resolve(true); },
  };
  return h;
}

const progress = (done: number): Progress => ({ stage: 'embed', done, total: 10, unit: 'patents' });

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

describe('TaskController', () => {
  it('goes idle → running (with progress and steps) → done, and asks the host to render each change', async () => {
    const h = host();
    const task = new TaskController<number>(h);
    expect(task.state).toEqual({ kind: 'idle', cancelled: false });
    const gate = deferred<number>();
    const running = task.run('embed', async (run) => {
      run.progress(progress(3));
      run.step('similarity');
      run.progress(progress(7));
      return gate.promise;
    });
    expect(task.state).toEqual({ kind: 'running', step: 'similarity', progress: progress(7) });
    expect(task.running).toBe(true);
    gate.resolve(42);
    await expect(running).resolves.toBe(42);
    expect(task.state).toEqual({ kind: 'done', value: 42 });
    expect(task.value).toBe(42);
    expect(h.updates).toBeGreaterThanOrEqual(4);
  });

  it('a failure becomes the error state with the error\'s name and message', async () => {
    const task = new TaskController<number>(host());
    class ModelLoadError extends Error { override name = 'ModelLoadError'; }
    await expect(task.run('load', async () => { throw new ModelLoadError('no weights'); })).resolves.toBeUndefined();
    expect(task.state.kind).toBe('error');
    expect(task.state.kind === 'error' && task.state.message).toBe('ModelLoadError: no weights');
    expect(errorMessage(new Error('plain'))).toBe('plain');
    expect(errorMessage('text')).toBe('text');
  });

  it('cancel aborts the signal and returns to idle (cancelled), and the late result is dropped', async () => {
    const task = new TaskController<string>(host());
    const gate = deferred<string>();
    let signal: AbortSignal | null = null;
    const running = task.run('work', async (run) => {
      signal = run.signal;
      return gate.promise;
    });
    task.cancel();
    expect(signal!.aborted).toBe(true);
    expect(task.state).toEqual({ kind: 'idle', cancelled: true });
    gate.resolve('late');
    await expect(running).resolves.toBeUndefined();
    expect(task.state).toEqual({ kind: 'idle', cancelled: true });
  });

  it('a newer run replaces the older: the older one is aborted and its progress and result never show', async () => {
    const task = new TaskController<string>(host());
    const first = deferred<string>();
    let firstRun: { signal: AbortSignal; current: boolean; progress: (p: Progress) => void } | null = null;
    const older = task.run('first', async (run) => { firstRun = run; return first.promise; });
    const newer = task.run('second', async () => 'second');
    expect(firstRun!.signal.aborted).toBe(true);
    expect(firstRun!.current).toBe(false);
    await expect(newer).resolves.toBe('second');
    firstRun!.progress(progress(5));
    first.resolve('first');
    await expect(older).resolves.toBeUndefined();
    expect(task.state).toEqual({ kind: 'done', value: 'second' });
  });

  it('reset and the host going away abort the running task', async () => {
    const h = host();
    const task = new TaskController<string>(h);
    let signal: AbortSignal | null = null;
    void task.run('work', async (run) => { signal = run.signal; return new Promise<string>(() => undefined); });
    task.reset();
    expect(signal!.aborted).toBe(true);
    expect(task.state).toEqual({ kind: 'idle', cancelled: false });
    void task.run('work', async (run) => { signal = run.signal; return new Promise<string>(() => undefined); });
    expect(h.controllers).toContain(task);
    task.hostDisconnected();
    expect(signal!.aborted).toBe(true);
  });
});

describe('TaskController and aborts it did not cause', () => {
  it('shows an AbortError the user did not cause (a transaction aborted by a full disk) as an error, not as a cancel', async () => {
    const task = new TaskController<number>(host());
    await task.run('import', async () => {
      throw new DOMException('The transaction was aborted, so the request cannot be fulfilled.', 'AbortError');
    });
    expect(task.state).toMatchObject({ kind: 'error', message: expect.stringMatching(/transaction was aborted/) });
  });

  it('still treats the user\'s cancel as a cancel', async () => {
    const task = new TaskController<number>(host());
    const running = task.run('import', (run) => new Promise<number>((_, reject) => {
      run.signal.addEventListener('abort', () => reject(new DOMException('cancelled', 'AbortError')));
    }));
    task.cancel();
    await running;
    expect(task.state).toEqual({ kind: 'idle', cancelled: true });
  });
});
