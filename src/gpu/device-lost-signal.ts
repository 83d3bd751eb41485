/**
 * A page-wide signal that a GPU device was lost. The devices live in the workers (one per realm,
 * backend.ts), where the page cannot see them; a BroadcastChannel reaches the page from any of
 * its workers (and other tabs of the app, which share the GPU process). The page decides what a
 * loss means: the normal app carries on (the worker rebuilds its device or falls back to the
 * CPU), a kiosk reloads into its attract loop.
 */

const CHANNEL = 'patent-space:gpu-device-lost';

export interface DeviceLostNotice {
  reason: string;
  message: string;
}

/** Tells every listener a device was lost (never for a device destroyed on purpose). */
export function announceDeviceLost(notice: DeviceLostNotice): void {
  if (typeof BroadcastChannel === 'undefined') return;
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage(notice);
  channel.close();
}

/** Calls `listener` on each loss announced from another realm; returns the unsubscribe. */
export function onDeviceLost(listener: (notice: DeviceLostNotice) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const channel = new BroadcastChannel(CHANNEL);
  channel.onmessage = (event: MessageEvent<DeviceLostNotice>) => listener(event.data);
  return () => channel.close();
}
