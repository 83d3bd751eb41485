/**
 * What every view needs to know about the app, provided once by <ps-app> through @lit/context
 * instead of being handed to each view by hand: the active dataset, the embedding model, the
 * GPU preference, where the hub lives, and a counter of stored vector sets.
 */
import { createContext } from '@lit/context';
import type { DatasetRecord } from '../store/records';

export interface AppState {
  /** Null before the start-up run restored or imported one, and after the last one is deleted. */
  dataset: DatasetRecord | null;
  /** Model reference the patents are embedded with (`bundled:…`, `hub:…`, `url:…`, `folder:…`). */
  modelRef: string;
  /** Off: encoders run on WASM and similarity on the CPU. */
  preferGpu: boolean;
  /** Hub host for `hub:` models (`?hub=`; tests point it at a local hub mimic). */
  hubHost: string | undefined;
  /** Rises whenever a run has stored new patent vectors: views waiting for vectors look again. */
  vectorsRevision: number;
}

export const INITIAL_APP_STATE: AppState = { dataset: null, modelRef: '', preferGpu: true, hubHost: undefined, vectorsRevision: 0 };

export const appStateContext = createContext<AppState>(Symbol('patent-space-app-state'));
