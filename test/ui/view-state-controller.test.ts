/**
 * The address as the views' shared view state: discrete changes push history entries,
 * continuous ones replace the current entry once they settle, back/forward tells the views of the
 * route the entry's state once (popstate and hashchange both fire), and a view never writes into
 * another view's address. A small in-memory history stands in for the browser's.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ViewState } from '../../src/core/url/view-state';
import { REPLACE_MS, ViewStateController } from '../../src/ui/shared/view-state-controller';
import { controllerHost } from './controller-host';

const host = controllerHost;

/** Session history of one document: entries of hashes, a cursor, popstate + hashchange on traversal. */
class FakeHistory {
  entries: string[];
  index = 0;
  readonly events = new EventTarget();
  state: unknown = null;
  constructor(first: string) { this.entries = [first]; }
  get hash(): string { return this.entries[this.index]; }
  pushState(_state: unknown, _unused: string, url: string): void {
    this.entries = [...this.entries.slice(0, this.index + 1), url];
    this.index++;
  }
  replaceState(_state: unknown, _unused: string, url: string): void { this.entries[this.index] = url; }
  go(delta: number): void {
    this.index += delta;
    this.events.dispatchEvent(new Event('popstate'));
    this.events.dispatchEvent(new Event('hashchange'));
  }
  /** A link followed: a new entry, then popstate and hashchange as Chrome fires them. */
  follow(url: string): void {
    this.pushState(null, '', url);
    this.events.dispatchEvent(new Event('popstate'));
    this.events.dispatchEvent(new Event('hashchange'));
  }
}

let fake: FakeHistory;
const connected: ViewStateController[] = [];

function controller(route: string | null, heard: ViewState[] | ((state: ViewState) => void) = []): ViewStateController {
  const h = host();
  const c = new ViewStateController(h, route, (s) => (Array.isArray(heard) ? heard.push(s) : heard(s)));
  c.hostConnected();
  connected.push(c);
  return c;
}

beforeEach(() => {
  vi.useFakeTimers();
  fake = new FakeHistory('#/space');
  vi.stubGlobal('location', { get hash() { return fake.hash; } });
  vi.stubGlobal('history', fake);
  vi.stubGlobal('addEventListener', (type: string, fn: EventListener) => fake.events.addEventListener(type, fn));
  vi.stubGlobal('removeEventListener', (type: string, fn: EventListener) => fake.events.removeEventListener(type, fn));
});

afterEach(() => {
  for (const c of connected.splice(0)) c.hostDisconnected();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('ViewStateController', () => {
  it('pushes discrete changes and drops a write that changes nothing', () => {
    const space = controller('space');
    space.push({ codes: ['H04L'] });
    space.push({ codes: ['H04L'] });
    space.push({ codes: ['G06N'] });
    expect(fake.entries).toEqual(['#/space', '#/space?code=H04L', '#/space?code=G06N']);
    expect(space.state.codes).toEqual(['G06N']);
  });

  it('replaces the current entry once continuous moves settle, and a push keeps them with the entry they were made in', () => {
    const space = controller('space');
    space.push({ codes: ['H04L'] });
    for (let year = 2000; year < 2005; year++) space.replace({ year });
    expect(fake.entries).toHaveLength(2);
    expect(fake.hash).toBe('#/space?code=H04L');
    // The state read before the timer already holds the move.
    expect(space.state.year).toBe(2004);
    vi.advanceTimersByTime(REPLACE_MS);
    expect(fake.entries).toEqual(['#/space', '#/space?code=H04L&year=2004']);
    space.replace({ year: 2010 });
    space.push({ codes: ['G06N'] });
    expect(fake.entries).toEqual(['#/space', '#/space?code=H04L&year=2010', '#/space?code=G06N&year=2010']);
  });

  it('tells back/forward once per step, to the views of that route only', () => {
    const heardSpace: ViewState[] = [];
    const heardMap: ViewState[] = [];
    const heardShell: ViewState[] = [];
    const space = controller('space', heardSpace);
    controller('map', heardMap);
    controller(null, heardShell);
    space.push({ codes: ['A'] });
    space.push({ codes: ['B'] });
    fake.go(-1);
    expect(heardSpace.map((s) => s.codes)).toEqual([['A']]);
    fake.go(-1);
    fake.go(2);
    expect(heardSpace.map((s) => s.codes)).toEqual([['A'], [], ['B']]);
    expect(heardShell).toHaveLength(3);
    expect(heardMap).toEqual([]);
    // A link followed to the open view (a bare hash change) is heard too.
    fake.follow('#/map?patent=EP1');
    expect(heardMap.map((s) => s.patents)).toEqual([['EP1']]);
  });

  it('keeps what a listener fills in on a followed link across the step\'s second event', () => {
    let shell: ViewStateController | null = null;
    shell = controller(null, (state) => { if (!state.level) shell?.replace({ level: 'main_group' }); });
    fake.follow('#/dashboard');
    vi.advanceTimersByTime(REPLACE_MS);
    expect(fake.entries).toEqual(['#/space', '#/dashboard?level=main_group']);
  });

  it('drops a move still waiting when the user walks away from its entry', () => {
    const space = controller('space');
    space.push({ codes: ['A'] });
    space.replace({ year: 1999 });
    fake.go(-1);
    vi.advanceTimersByTime(REPLACE_MS * 2);
    expect(fake.entries).toEqual(['#/space', '#/space?code=A']);
  });

  it('never writes into another view\'s address', () => {
    const space = controller('space');
    fake.follow('#/dashboard?pollutant=3');
    space.push({ codes: ['A'] });
    space.replace({ year: 2000 });
    vi.advanceTimersByTime(REPLACE_MS);
    expect(fake.hash).toBe('#/dashboard?pollutant=3');
    // The shell writes on any route.
    controller(null).replace({ level: 'subclass' });
    vi.advanceTimersByTime(REPLACE_MS);
    expect(fake.hash).toBe('#/dashboard?level=subclass&pollutant=3');
  });
});
