import { describe, expect, it } from 'vitest';
import { startServiceWorker, type WorkboxEventLike, type WorkboxLike } from '../../src/clients/service-worker-client';

/** A stand-in for workbox-window's Workbox: the test fires its events and counts what the client asks. */
class FakeWorkbox implements WorkboxLike {
  listeners = new Map<string, ((event: WorkboxEventLike) => void)[]>();
  registrations = 0;
  skipWaitingMessages = 0;
  addEventListener(type: 'waiting' | 'controlling', listener: (event: WorkboxEventLike) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  register(): Promise<ServiceWorkerRegistration | undefined> {
    this.registrations++;
    return Promise.resolve(undefined);
  }
  messageSkipWaiting(): void {
    this.skipWaitingMessages++;
  }
  fire(type: 'waiting' | 'controlling', event: WorkboxEventLike = {}): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

function start() {
  const workbox = new FakeWorkbox();
  const counts = { reloads: 0, ready: 0 };
  const client = startServiceWorker(workbox, () => { counts.reloads++; });
  client.onUpdateReady(() => { counts.ready++; });
  return { workbox, counts, client };
}

describe('the service worker client', () => {
  it('registers once, and the first install taking the page is no update and no reload', async () => {
    const { workbox, counts, client } = start();
    await client.registered;
    expect(workbox.registrations).toBe(1);
    workbox.fire('controlling', { isUpdate: false });
    expect(counts).toEqual({ reloads: 0, ready: 0 });
  });

  it('says a waiting version is ready, and switches to it only when asked, reloading once it controls the page', () => {
    const { workbox, counts, client } = start();
    client.applyUpdate(); // nothing waits yet: nothing to do
    expect(workbox.skipWaitingMessages).toBe(0);
    workbox.fire('waiting');
    workbox.fire('waiting', { isExternal: true });
    expect(counts).toEqual({ reloads: 0, ready: 1 });
    expect(workbox.skipWaitingMessages).toBe(0);
    client.applyUpdate();
    client.applyUpdate();
    expect(workbox.skipWaitingMessages).toBe(1);
    expect(counts.reloads).toBe(0); // not before the new worker is in charge
    workbox.fire('controlling', { isUpdate: true });
    expect(counts.reloads).toBe(1);
  });

  it('tells a listener that subscribes late', () => {
    const { workbox, client } = start();
    workbox.fire('waiting');
    let late = 0;
    client.onUpdateReady(() => { late++; });
    expect(late).toBe(1);
  });

  it('when another tab activated the new version, offers the reload and reloads at once when asked', () => {
    const { workbox, counts, client } = start();
    workbox.fire('controlling', { isUpdate: true, isExternal: true });
    expect(counts).toEqual({ reloads: 0, ready: 1 });
    client.applyUpdate();
    expect(workbox.skipWaitingMessages).toBe(0);
    expect(counts.reloads).toBe(1);
  });
});
