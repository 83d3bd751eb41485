/**
 * A dataset's identity across machines: dataset ids are made per import (a dataset file imported
 * elsewhere gets a new one), so a link names its dataset by what it holds instead, its patent
 * ids. Two independent FNV-1a hashes (64 bits) and the count: synchronous, so the stores can take
 * it inside the transaction that finishes an import (an await on WebCrypto would let IndexedDB
 * commit it early). It tells datasets apart; it is no proof of integrity (the file checksums are).
 */
import { fnv1aString, hex8 } from './hash';

/** A second, independent offset basis (FNV's own offset hashed once more). */
const SECOND_OFFSET = 0x050c5d1f;

/** The fingerprint of a set of patent ids; order and repeats do not matter. */
export function datasetFingerprint(patentIds: Iterable<string>): string {
  const ids = [...new Set(patentIds)].sort();
  let a: number | undefined;
  let b = SECOND_OFFSET;
  for (const id of ids) {
    // '\n' ends each id, so ['ab', 'c'] and ['a', 'bc'] differ.
    a = fnv1aString(`${id}\n`, a);
    b = fnv1aString(`${id}\n`, b);
  }
  return `${ids.length.toString(36)}-${hex8(a ?? fnv1aString(''))}${hex8(b)}`;
}
