/**
 * The one way every engine says "this dataset has no vectors of that model yet": a value, not an
 * error, so it survives the worker boundary with its fields and the view can offer to embed.
 */
import { NoEmbeddingsError } from './errors';

export interface NoEmbeddings {
  kind: 'no-embeddings';
  modelId: string;
  /** Patents the request covered (the dataset, or a forecast's embedding window). */
  patents: number;
  /** Of those, the patents without a stored vector: all of them when the model never ran. */
  missing: number;
  /** One sentence for the view, saying what to do. */
  message: string;
}

/** `what` names the vectors in the message when they are not patent vectors (TechToken ones). */
export function noEmbeddings(modelId: string, patents: number, missing: number = patents, what = 'vectors'): NoEmbeddings {
  const message = missing >= patents
    ? `No ${what} of this dataset with ${modelId}: embed it first.`
    : `${missing} of ${patents} patents have no stored vector with ${modelId}: embed the dataset again.`;
  return { kind: 'no-embeddings', modelId, patents, missing, message };
}

export function isNoEmbeddings<T>(outcome: T | NoEmbeddings): outcome is NoEmbeddings {
  return typeof outcome === 'object' && outcome !== null && (outcome as { kind?: unknown }).kind === 'no-embeddings';
}

/** For callers that treat the outcome as a failure: the value, or a thrown NoEmbeddingsError. */
export function orNoEmbeddingsError<T>(outcome: T | NoEmbeddings): T {
  if (isNoEmbeddings(outcome)) throw new NoEmbeddingsError(outcome.message, outcome.modelId);
  return outcome;
}
