/**
 * Loads the bundled reference files (public/reference/) once per page: the first call fetches and
 * parses, later calls share that promise. A failed load is forgotten, so a later call tries again.
 */
import { parseIpcTitles, type IpcTitles } from '../core/reference/ipc-titles';
import { parseSdgImpacts, type SdgImpacts } from '../core/reference/sdg';
import { IPC_TITLES_PATH, SDG_IMPACTS_PATH } from '../core/reference/types';

const cache = new Map<string, Promise<unknown>>();

function loadOnce<T>(url: string, what: string, parse: (text: string) => T): Promise<T> {
  const absolute = new URL(url, location.href).href;
  let pending = cache.get(absolute) as Promise<T> | undefined;
  if (pending === undefined) {
    pending = (async () => {
      const response = await fetch(absolute);
      if (!response.ok) throw new Error(`the ${what} ${url} could not be read (HTTP ${response.status})`);
      return parse(await response.text());
    })();
    cache.set(absolute, pending);
    pending.catch(() => cache.delete(absolute));
  }
  return pending;
}

/** SDG × pollutant impacts, tied to the bundled catalogue's pollutants. */
export function loadSdgImpacts(url = SDG_IMPACTS_PATH): Promise<SdgImpacts> {
  return loadOnce(url, 'SDG impact table', parseSdgImpacts);
}

/** IPC titles of sections, classes, subclasses and main groups. */
export function loadIpcTitles(url = IPC_TITLES_PATH): Promise<IpcTitles> {
  return loadOnce(url, 'IPC title table', parseIpcTitles);
}
