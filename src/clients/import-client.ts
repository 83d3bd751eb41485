import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { DatasetSettings, FileChoice, FileDetection } from '../engines/import-engine';
import type { DatasetRecord } from '../store/records';
import { importWorker } from './clients';
import { runCancellable } from './worker-client';

/** Format detection of dropped files, in the ingest worker (File objects are cloned, not read here). */
export function detectFiles(files: File[]): Promise<FileDetection[]> {
  return importWorker.get().detect(files);
}

export function importFiles(
  files: File[],
  choices: FileChoice[],
  settings: DatasetSettings,
  signal: AbortSignal,
  onProgress: ProgressCallback,
): Promise<DatasetRecord> {
  const ingest = importWorker.get();
  return runCancellable(ingest, signal, (taskId) => ingest.importFiles(files, choices, settings, { taskId }, Comlink.proxy(onProgress)));
}
