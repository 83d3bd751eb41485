/**
 * The page's view state in its address (core/url/view-state.ts), read and written through one
 * controller per view instead of each view parsing `location`.
 *
 * Discrete changes (a selection, a level, a pollutant) push a history entry, so back/forward walks
 * through them; continuous ones (camera moves, the time slider) replace the current entry, at most
 * once per REPLACE_MS, so dragging leaves one step, not hundreds. Views hear about back/forward
 * and about links followed while they are open (a chat chip to the open view) through `onRestore`
 * and apply what differs from what they show; writing the state they were given changes nothing,
 * since a write that leaves the normalised hash as it is is dropped.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { normaliseHash, parseViewState, serialiseViewState, type ViewState } from '../../core/url/view-state';

/** A slider drag or an orbit settles into the address this long after the last move. */
export const REPLACE_MS = 350;

type Listener = (state: ViewState) => void;
const listeners = new Set<Listener>();
/** The normalised hash the listeners last heard of (or wrote): popstate and hashchange often both fire for one step. */
let seen: string | null = null;
let pending: { hash: string; timer: ReturnType<typeof setTimeout> } | null = null;

function onNavigate(): void {
  const now = normaliseHash(location.hash);
  // The second event of one step (Chrome fires popstate and hashchange, for a followed link too):
  // nothing moved, and a replace a listener has just asked for must stay.
  if (now === seen) return;
  // A replace still waiting belongs to the entry just left: writing it now would change this one.
  cancelPending();
  seen = now;
  const state = parseViewState(location.hash);
  for (const listener of [...listeners]) listener(state);
}

function subscribe(listener: Listener): void {
  if (listeners.size === 0) {
    seen = normaliseHash(location.hash);
    addEventListener('popstate', onNavigate);
    addEventListener('hashchange', onNavigate);
  }
  listeners.add(listener);
}

function unsubscribe(listener: Listener): void {
  listeners.delete(listener);
  if (listeners.size > 0) return;
  flushPending();
  removeEventListener('popstate', onNavigate);
  removeEventListener('hashchange', onNavigate);
}

function cancelPending(): void {
  if (pending) clearTimeout(pending.timer);
  pending = null;
}

function flushPending(): void {
  const hash = pending?.hash;
  cancelPending();
  if (hash && hash !== normaliseHash(location.hash)) history.replaceState(history.state, '', hash);
  if (hash) seen = hash;
}

/** The state the address holds now, a replace still waiting included. */
export function currentViewState(): ViewState {
  return parseViewState(pending?.hash ?? location.hash);
}

/** Writes `patch` over the current state: a new history entry ('push') or, debounced, the current one ('replace'). */
export function writeViewState(patch: Partial<ViewState>, mode: 'push' | 'replace'): void {
  if (mode === 'push') {
    // The moves before this step stay with the entry they were made in.
    flushPending();
    const next = serialiseViewState({ ...parseViewState(location.hash), ...patch });
    if (next === normaliseHash(location.hash)) return;
    history.pushState(history.state, '', next);
    seen = next;
    return;
  }
  const next = serialiseViewState({ ...currentViewState(), ...patch });
  if (next === (pending?.hash ?? normaliseHash(location.hash))) return;
  cancelPending();
  pending = { hash: next, timer: setTimeout(flushPending, REPLACE_MS) };
}

/**
 * A view's part of the address. `route` is the view's own route: its writes are dropped once the
 * address has moved to another view (an answer that comes back after the user left), so one view
 * never writes into another's link. Without a route (the app shell) it writes on any route.
 */
export class ViewStateController implements ReactiveController {
  private readonly listener = (state: ViewState) => {
    if (this.route === null || state.route === this.route) this.onRestore?.(state);
  };

  constructor(host: ReactiveControllerHost, private readonly route: string | null, private readonly onRestore?: (state: ViewState) => void) {
    host.addController(this);
  }

  hostConnected(): void {
    subscribe(this.listener);
  }

  hostDisconnected(): void {
    unsubscribe(this.listener);
  }

  get state(): ViewState {
    return currentViewState();
  }

  /** A discrete change: a new history entry. */
  push(patch: Partial<ViewState>): void {
    if (this.mine()) writeViewState(patch, 'push');
  }

  /** A continuous change (or filling in what the address lacks): the current entry, debounced. */
  replace(patch: Partial<ViewState>): void {
    if (this.mine()) writeViewState(patch, 'replace');
  }

  private mine(): boolean {
    return this.route === null || parseViewState(location.hash).route === this.route;
  }
}
