import type { CachedModelSummary } from '../ml/model-store';
import { defaultModelStore } from '../ml/model-store';
import { appBaseOf } from '../ml/locations';
import { encoderWorker } from './clients';

/** Models kept in the browser's cache (shared with the workers, which fill it). */
export function listCachedModels(): Promise<CachedModelSummary[]> {
  return defaultModelStore().list();
}

export function removeCachedModel(key: string): Promise<void> {
  return defaultModelStore().remove(key);
}

/**
 * Hands a picked directory to the encoder worker. Paths drop the top folder's name
 * (`my-model/onnx/model.onnx` → `onnx/model.onnx`), as the loader expects the model root.
 */
export function registerFolderModel(files: File[]): Promise<string> {
  const name = (files[0]?.webkitRelativePath.split('/')[0] || 'folder').replace(/[^\w.-]+/g, '_');
  const entries = files.map((file) => ({ path: file.webkitRelativePath.split('/').slice(1).join('/') || file.name, file }));
  return encoderWorker.get().registerFolder(name, appBaseOf(location.href), entries);
}
