/**
 * Dataset files and whole-workspace files, exported and imported in the ingest worker (the file's
 * bytes are read there, not here). The page keeps one workspace setting itself, private mode (in
 * localStorage, which workers lack), so it is read and applied here and handed to the worker.
 */
import * as Comlink from 'comlink';
import type { ProgressCallback } from '../core/progress';
import { PAGE_SETTING_PREFIX, type WorkspaceSetting } from '../core/workspace/bundle-format';
import type { BundleExport, BundleImport, WorkspaceExport, WorkspaceImport } from '../engines/workspace-engine';
import { workspaceWorker } from './clients';
import { isPrivateMode, setPrivateMode } from './content-policy';
import { runCancellable } from './worker-client';

import type { DatasetNameClashError, DatasetNameClashesError, WorkspaceFileError } from '../core/workspace/errors';

export type { DatasetNameClashError, DatasetNameClashesError, NameClash, WorkspaceFileError } from '../core/workspace/errors';
export type { BundleExport, BundleImport, SettingChange, WorkspaceExport, WorkspaceImport } from '../engines/workspace-engine';

const PRIVATE_MODE_SETTING = `${PAGE_SETTING_PREFIX}privateMode`;

function pageSettings(): WorkspaceSetting[] {
  return [{ key: PRIVATE_MODE_SETTING, value: isPrivateMode() }];
}

/** Which kind of Patent Space file `file` is, from its first line. */
export function patentSpaceFileKind(file: File): Promise<'workspace' | 'dataset'> {
  return workspaceWorker.get().fileKind(file);
}

export function exportWorkspaceFile(signal: AbortSignal, onProgress: ProgressCallback): Promise<BundleExport> {
  const engine = workspaceWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.exportWorkspace({ taskId, pageSettings: pageSettings() }, Comlink.proxy(onProgress)));
}

/**
 * Without a choice for each dataset whose name is in use, the import is refused with
 * DatasetNameClashesError: ask the user, then call again with `choices` (a name, or null to skip).
 */
export function importWorkspaceFile(
  file: File, choices: Record<number, string | null>, signal: AbortSignal, onProgress: ProgressCallback,
): Promise<BundleImport> {
  const engine = workspaceWorker.get();
  return runCancellable(engine, signal, (taskId) => engine.importWorkspace(file, { taskId, choices, pageSettings: pageSettings() }, Comlink.proxy(onProgress)));
}

/** Applies the workspace settings the user agreed to: private mode here, the rest in the database. */
export async function applyWorkspaceSettings(settings: WorkspaceSetting[]): Promise<void> {
  for (const { key, value } of settings) if (key === PRIVATE_MODE_SETTING) setPrivateMode(value === true);
  await workspaceWorker.get().applySettings(settings.filter(({ key }) => !key.startsWith(PAGE_SETTING_PREFIX)));
}

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

export function isNameClashes(error: unknown): error is DatasetNameClashesError {
  return error instanceof Error && error.name === 'DatasetNameClashesError' && Array.isArray((error as Partial<DatasetNameClashesError>).clashes);
}

export function isWorkspaceFileError(error: unknown): error is WorkspaceFileError {
  return error instanceof Error && error.name === 'WorkspaceFileError' && Array.isArray((error as Partial<WorkspaceFileError>).errors);
}
