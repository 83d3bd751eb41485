/**
 * Large typed arrays leave a worker by transfer, not by copy: `transferring(result, arrays)`
 * marks the ArrayBuffers behind `arrays` so that Comlink moves them with `result` when it is the
 * return value of an exposed method (or an argument of a proxied callback). Outside a worker, or
 * on the main thread in tests, nothing is detached.
 *
 * The engine must not keep using those arrays: each one has to be a fresh result (stored copies
 * are made before returning) and not a view into a buffer something else still reads.
 */
import * as Comlink from 'comlink';

export function transferring<T>(value: T, arrays: readonly (ArrayBufferView | null | undefined)[]): T {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) {
    // A SharedArrayBuffer is shared, never transferred; listing one buffer twice is a DataCloneError.
    if (array && array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
  }
  return Comlink.transfer(value, [...buffers]);
}
