/** Dataset files, exported and imported in the ingest worker (the file's bytes are read there, not here). */
import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import type { WorkspaceExport, WorkspaceImport } from '../engines/workspace-engine';
import { workspaceWorker } from './clients';
import { runCancellable } from './worker-client';

import type { DatasetNameClashError, WorkspaceFileError } from '../core/workspace/errors';

export type { DatasetNameClashError, WorkspaceFileError } from '../core/workspace/errors';
export type { WorkspaceExport, WorkspaceImport } from '../engines/workspace-engine';

export function exportDatasetFile(datasetId: string, signal: AbortSignal, onProgress: ProgressCallback): Promise<WorkspaceExport> {
  const engine = workspaceWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.exportDataset(datasetId, { taskId }, Comlink.proxy(onProgress)));
}

/** Without `name`, a name already in use is refused with DatasetNameClashError: ask the user, then call again with a name. */
export function importDatasetFile(file: File, name: string | undefined, signal: AbortSignal, onProgress: ProgressCallback): Promise<WorkspaceImport> {
  const engine = workspaceWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.importFile(file, { taskId, name }, Comlink.proxy(onProgress)));
}

/*
 * Errors from the worker are told apart by name, not instanceof: the boundary (workers/boundary.ts)
 * finds an error's class by the class's own name, which a minified build renames, so in the built
 * app they arrive as plain Errors carrying the name and fields.
 */
export function isNameClash(error: unknown): error is DatasetNameClashError {
  return error instanceof Error && error.name === 'DatasetNameClashError' && typeof (error as Partial<DatasetNameClashError>).suggestedName === 'string';
}

export function isWorkspaceFileError(error: unknown): error is WorkspaceFileError {
  return error instanceof Error && error.name === 'WorkspaceFileError' && Array.isArray((error as Partial<WorkspaceFileError>).errors);
}
