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

/** One dataset of a workspace file whose name is taken here (or by an earlier dataset of the same file). */
export interface NameClash {
  /** The dataset's place in the file's manifest. */
  index: number;
  name: string;
  suggestedName: string;
}

/**
 * Datasets of a workspace file whose names are in use: the import waits for a choice per dataset
 * (another name, or skip it), and nothing is replaced or written meanwhile.
 */
export class DatasetNameClashesError extends Error {
  override readonly name = 'DatasetNameClashesError';
  constructor(readonly clashes: NameClash[]) {
    super(`${clashes.length} ${clashes.length === 1 ? 'dataset has a name' : 'datasets have names'} already in use here: ${clashes.map((c) => `“${c.name}”`).join(', ')}.`);
  }
}
