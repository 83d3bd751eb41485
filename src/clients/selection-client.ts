import { datasetStore } from './store-client';

/**
 * The selection shared by the patent map and the technology space: codes picked in 3D filter the
 * map to their patents, patents picked in 2D light up their codes. Kept per dataset in IndexedDB
 * so it survives switching views and reloads.
 */
export interface Selection {
  datasetId: string;
  /** Codes at the dataset's analysis level. */
  codes: string[];
  patentIds: string[];
  /** Which view made it: the other view follows it. */
  source: 'map' | 'space' | 'none';
}

export const SELECTION_EVENT = 'selection-change';
/** Fires a CustomEvent<Selection> named SELECTION_EVENT whenever a view saves a selection. */
export const selectionEvents = new EventTarget();

const key = (datasetId: string) => `selection:${datasetId}`;

export async function loadSelection(datasetId: string): Promise<Selection> {
  const stored = await (await datasetStore()).getSetting<Selection>(key(datasetId));
  return stored ?? { datasetId, codes: [], patentIds: [], source: 'none' };
}

export async function saveSelection(selection: Selection): Promise<void> {
  await (await datasetStore()).setSetting(key(selection.datasetId), selection);
  selectionEvents.dispatchEvent(new CustomEvent<Selection>(SELECTION_EVENT, { detail: selection }));
}

export function clearSelection(datasetId: string): Promise<void> {
  return saveSelection({ datasetId, codes: [], patentIds: [], source: 'none' });
}
