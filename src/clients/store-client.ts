import { DatasetStore } from '../store/dataset-store';

let opening: Promise<DatasetStore> | null = null;

/** The main thread's one connection to IndexedDB (listing, settings, delete/undo); reopened after a failure. */
export function datasetStore(): Promise<DatasetStore> {
  opening ??= DatasetStore.open().catch((error: unknown) => {
    opening = null;
    throw error;
  });
  return opening;
}
