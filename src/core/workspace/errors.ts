/** The errors of dataset files, named so they keep their class and fields across the worker boundary (core/errors.ts). */
import type { RowError } from '../ingest/types';

/** The file can't be imported: every problem found, with the file's 1-based line numbers. */
export class WorkspaceFileError extends Error {
  override readonly name = 'WorkspaceFileError';
  constructor(readonly errors: RowError[], readonly errorCount = errors.length) {
    const first = errors[0];
    super(first
      ? `This is not a usable Patent Space file: line ${first.line}: ${first.reason}${errorCount > 1 ? ` (and ${errorCount - 1} more problems)` : ''}.`
      : 'This is not a usable Patent Space file.');
  }
}

/** A dataset of that name exists; the import waits for the user to choose a name (nothing is replaced). */
export class DatasetNameClashError extends Error {
  override readonly name = 'DatasetNameClashError';
  constructor(readonly existingName: string, readonly suggestedName: string) {
    super(`A dataset named "${existingName}" already exists. Import this one as "${suggestedName}"?`);
  }
}
