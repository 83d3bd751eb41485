/**
 * Which imports are still running, across every tab and worker of this origin, through the Web
 * Locks API: an import holds an exclusive lock named after its dataset for as long as it runs,
 * and the browser releases it when the tab closes or reloads. So at start-up a dataset left
 * 'importing' whose lock nobody holds was abandoned, whatever its age, and one another tab is
 * still importing is never touched. Without Web Locks (old browsers, Node) nothing is known.
 */

const PREFIX = 'patent-space-import:';

/** The part of `navigator.locks` this module uses (tests pass their own). */
export interface ImportLockManager {
  request(name: string, options: { mode: 'exclusive' }, callback: () => Promise<void>): Promise<unknown>;
  query(): Promise<{ held?: { name?: string }[]; pending?: { name?: string }[] }>;
}

export function lockNameOf(datasetId: string): string {
  return PREFIX + datasetId;
}

/** This realm's lock manager, or null where there is none. */
export function browserLocks(): ImportLockManager | null {
  const nav = (globalThis as { navigator?: { locks?: ImportLockManager } }).navigator;
  return nav?.locks ?? null;
}

/**
 * Holds the import lock of `datasetId` until the returned release is called. Resolves once the
 * lock is granted, so the caller creates the dataset only while it holds the lock.
 */
export async function holdImportLock(datasetId: string, locks: ImportLockManager | null = browserLocks()): Promise<() => void> {
  if (!locks) return () => {};
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => { release = resolve; });
  await new Promise<void>((granted, refused) => {
    locks.request(lockNameOf(datasetId), { mode: 'exclusive' }, () => { granted(); return released; }).catch(refused);
  });
  return release;
}

/**
 * Resolves once nobody holds the import lock of `datasetId` any more: its import ended, or the
 * tab or worker running it went away. The lock is taken and given back at once.
 */
export async function whenImportEnds(datasetId: string, locks: ImportLockManager | null = browserLocks()): Promise<void> {
  if (!locks) return;
  await locks.request(lockNameOf(datasetId), { mode: 'exclusive' }, async () => {});
}

/** Dataset ids whose import lock is held or awaited right now; null when locks are unavailable. */
export async function runningImports(locks: ImportLockManager | null = browserLocks()): Promise<Set<string> | null> {
  if (!locks) return null;
  const state = await locks.query();
  const names = [...(state.held ?? []), ...(state.pending ?? [])].map((lock) => lock.name ?? '');
  return new Set(names.filter((name) => name.startsWith(PREFIX)).map((name) => name.slice(PREFIX.length)));
}
