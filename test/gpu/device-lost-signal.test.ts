/**
 * The page-wide device-lost signal: acquireGpu announces a device lost for any reason but
 * destroy() on the BroadcastChannel, which reaches a listener in another realm (here: another
 * channel object, as the page's is to a worker's). A fake GPU stands in: a real device cannot be
 * made to be lost on demand.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { acquireGpu } from '../../src/gpu/device';
import { onDeviceLost, type DeviceLostNotice } from '../../src/gpu/device-lost-signal';

/** A GPU whose one device is lost when `lose` is called. */
function fakeGpu(): { gpu: GPU; lose: (info: { reason: string; message: string }) => void } {
  let lose: (info: { reason: string; message: string }) => void = () => undefined;
  const lost = new Promise<{ reason: string; message: string }>((resolve) => { lose = resolve; });
  const limits = { maxStorageBufferBindingSize: 1 << 27, maxBufferSize: 1 << 28, maxComputeWorkgroupsPerDimension: 65535 };
  const device = { lost, limits, addEventListener: () => undefined };
  const adapter = { limits, info: { description: 'fake', vendor: 'test', architecture: 'fake' }, requestDevice: async () => device };
  return { gpu: { requestAdapter: async () => adapter } as unknown as GPU, lose: (info) => lose(info) };
}

let unsubscribe: (() => void) | null = null;
afterEach(() => {
  unsubscribe?.();
  unsubscribe = null;
  vi.restoreAllMocks();
});

describe('device-lost signal', () => {
  it('announces a lost device to another realm’s listener, and not one destroyed on purpose', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const heard: DeviceLostNotice[] = [];
    const first = new Promise<void>((resolve) => {
      unsubscribe = onDeviceLost((notice) => { heard.push(notice); resolve(); });
    });
    const destroyed = fakeGpu();
    const lostOne = fakeGpu();
    expect((await acquireGpu(destroyed.gpu)).ok).toBe(true);
    expect((await acquireGpu(lostOne.gpu)).ok).toBe(true);
    destroyed.lose({ reason: 'destroyed', message: 'destroy() called' });
    // Lost after the destroyed one: heard first only if the destroyed one was never announced.
    await Promise.resolve();
    lostOne.lose({ reason: 'unknown', message: 'GPU process crashed' });
    await first;
    expect(heard[0]).toEqual({ reason: 'unknown', message: 'GPU process crashed' });
  });
});
