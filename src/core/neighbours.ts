import type { TopK } from './similarity';
import type { CodeId, Neighbour } from './types';

/** Per-code neighbour lists from a top-k table whose rows and columns index `codes`. */
export function neighbourLists(codes: readonly CodeId[], topK: TopK): Record<CodeId, Neighbour[]> {
  const lists: Record<CodeId, Neighbour[]> = {};
  codes.forEach((code, row) => {
    const list: Neighbour[] = [];
    for (let j = 0; j < topK.k; j++) {
      const column = topK.indices[row * topK.k + j];
      if (column >= 0) list.push({ code: codes[column], similarity: topK.scores[row * topK.k + j] });
    }
    lists[code] = list;
  });
  return lists;
}
