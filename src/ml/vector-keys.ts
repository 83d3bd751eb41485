/**
 * Keys under which a dataset's vectors are stored (no transformers.js import here: the similarity
 * worker reads these keys and must not bundle the model runtime).
 */
export function techTokenKey(modelId: string): string {
  return `${modelId}#techtoken`;
}
