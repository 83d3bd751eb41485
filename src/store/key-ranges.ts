/**
 * Key ranges over compound keys that start with a dataset id (and maybe a model id).
 *
 * IndexedDB compares array keys element by element, a shorter array sorts before any longer one that
 * starts with it, and an array sorts after every number, date and string. So every key
 * [...prefix, x] with x a string or number lies in [prefix, [...prefix, []]]. Using the primary key
 * this way needs no extra index and returns rows in key order, which lets reads resume after a key.
 */

/** Sorts after every string or number key part: see the file comment. */
const AFTER_ANY_KEY_PART: IDBValidKey = [];

/** All keys that start with `prefix`. */
export function prefixRange(...prefix: IDBValidKey[]): IDBKeyRange {
  return IDBKeyRange.bound(prefix, [...prefix, AFTER_ANY_KEY_PART]);
}

/** Keys that start with `prefix` and sort strictly after `lastKey` (which must start with `prefix`). */
export function prefixRangeAfter(prefix: IDBValidKey[], lastKey: IDBValidKey[]): IDBKeyRange {
  return IDBKeyRange.bound(lastKey, [...prefix, AFTER_ANY_KEY_PART], true, false);
}

/**
 * Whether a settings key is one kept for `datasetId`: such keys name the id between separators
 * (`spaceCache:<id>`, `vectorProvenance:<id>:<model>`, `<cache>@<id>`). Ids are UUIDs in the app;
 * the bounds keep a short id (as tests use) from matching inside another word of a key.
 */
export function settingKeyOfDataset(key: IDBValidKey, datasetId: string): key is string {
  if (typeof key !== 'string') return false;
  for (let at = key.indexOf(datasetId); at >= 0; at = key.indexOf(datasetId, at + 1)) {
    const before = at === 0 ? '' : key[at - 1];
    const after = key[at + datasetId.length] ?? '';
    if (!/[A-Za-z0-9-]/.test(before) && !/[A-Za-z0-9-]/.test(after)) return true;
  }
  return false;
}
