/**
 * Keys under which a dataset's vectors are stored (no transformers.js import here: the similarity
 * worker reads these keys and must not bundle the model runtime).
 */
export function techTokenKey(modelId: string): string {
  return `${modelId}#techtoken`;
}

/**
 * TechToken code vectors of only the patents whose year lies in `range` (a forecast's embedding
 * window): `<model>#techtoken@2011-2015`.
 */
export function techTokenWindowKey(modelId: string, range: { from: number; to: number }): string {
  return `${techTokenKey(modelId)}@${range.from}-${range.to}`;
}
