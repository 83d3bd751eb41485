/**
 * FNV-1a, 32-bit: the one cheap fingerprint of the app (layout hashes, position checks, cache
 * keys). Not cryptographic; model files are checked with SHA-256 instead.
 */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 16777619;

/** Folds `bytes` into `hash` (start from FNV_OFFSET, or another offset for an independent second hash). */
export function fnv1a(bytes: Uint8Array, hash = FNV_OFFSET): number {
  for (let i = 0; i < bytes.length; i++) hash = Math.imul(hash ^ bytes[i], FNV_PRIME) >>> 0;
  return hash;
}

/** Folds the UTF-16 code units of `text` into `hash`. */
export function fnv1aString(text: string, hash = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME) >>> 0;
  return hash;
}

export function bytesOf(values: ArrayBufferView): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

export function hex8(hash: number): string {
  return hash.toString(16).padStart(8, '0');
}
