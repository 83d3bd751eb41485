/**
 * The Patent Space dataset file (".psx.jsonl"): one dataset and everything the app keeps with it,
 * as JSON lines, so a file of any size is written and read one record at a time.
 *
 * Line 1 is the manifest: format, version, app version, the dataset record, and for each kind of
 * record how many lines it has and a SHA-256 over them (checksum.ts). Every later line is one
 * record `{"kind": ..., "value": ...}`, in any order. Values are the store's records minus the
 * dataset id (the importer gives the dataset a new id), encoded by `encodeValue`: JSON cannot hold
 * typed arrays (vectors, layouts) or NaN/±Infinity, so those become tagged objects. A setting is
 * `{ key, value }` exactly as stored; its key names the old dataset id (`spaceCache:<id>`), which
 * the importer replaces with the new one, as it does any string value equal to the old id.
 * The whole-workspace file (bundle-format.ts) is made of the same lines, each naming its dataset.
 */

export const WORKSPACE_FORMAT = 'patent-space-dataset';
export const WORKSPACE_VERSION = 1;
/** The file extension the UI offers; the reader does not depend on it. */
export const WORKSPACE_EXTENSION = '.psx.jsonl';

/** Every kind of record line, in the order the exporter writes them. */
export const RECORD_KINDS = [
  'patent', 'code', 'embedding', 'result', 'matchJob', 'matchJobInput', 'matchJobChunk', 'conversation', 'setting',
] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

export function isRecordKind(value: unknown): value is RecordKind {
  return typeof value === 'string' && (RECORD_KINDS as readonly string[]).includes(value);
}

export interface SectionSummary {
  records: number;
  /** Lowercase hex SHA-256 over the section's line digests (see checksum.ts). */
  sha256: string;
}

export interface WorkspaceManifest {
  format: typeof WORKSPACE_FORMAT;
  version: number;
  appVersion: string;
  /** Milliseconds since the epoch. */
  exportedAt: number;
  /** The dataset record as stored (encoded), its id included so a re-import can say it was seen. */
  dataset: EncodedValue;
  sections: Record<RecordKind, SectionSummary>;
}

/** One record line. */
export interface RecordLine {
  kind: RecordKind;
  /** Only in a workspace file: the dataset's place in its manifest. */
  dataset?: number;
  value: EncodedValue;
}

// ---- value codec ----

export type EncodedValue = null | boolean | number | string | EncodedValue[] | { [key: string]: EncodedValue };

/**
 * The tag key of an encoded typed array or special number. No record of the app has a key that
 * starts with '$', so a plain object can't be mistaken for a tagged one.
 */
const TAG = '$ps';

const TYPED_ARRAYS = {
  Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, Uint8ClampedArray,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type AnyTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

function typedArrayName(value: ArrayBufferView): TypedArrayName | null {
  for (const name of Object.keys(TYPED_ARRAYS) as TypedArrayName[]) if (value instanceof TYPED_ARRAYS[name]) return name;
  return null;
}

/** A structured-cloneable store value → JSON-safe value. Typed arrays keep their type and bytes (little-endian, as every browser stores them). */
export function encodeValue(value: unknown): EncodedValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { [TAG]: 'number', value: String(value) };
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : encodeValue(item)));
  if (ArrayBuffer.isView(value)) {
    const name = typedArrayName(value);
    if (!name) throw new TypeError(`Cannot export a ${value.constructor.name}.`);
    return { [TAG]: name, base64: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
  }
  if (typeof value === 'object') {
    const out: { [key: string]: EncodedValue } = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) out[key] = encodeValue(item);
    return out;
  }
  throw new TypeError(`Cannot export a value of type ${typeof value}.`);
}

/** The inverse of encodeValue; throws a TypeError naming what is wrong with a malformed tag. */
export function decodeValue(value: EncodedValue): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const tag = value[TAG];
  if (tag === undefined) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = decodeValue(item);
    return out;
  }
  if (tag === 'number') {
    const number = Number(value.value);
    if (typeof value.value !== 'string' || Number.isFinite(number) || (Number.isNaN(number) && value.value !== 'NaN')) {
      throw new TypeError(`bad special number ${JSON.stringify(value.value)}`);
    }
    return number;
  }
  if (typeof tag === 'string' && tag in TYPED_ARRAYS && typeof value.base64 === 'string') {
    const Type = TYPED_ARRAYS[tag as TypedArrayName];
    const bytes = base64ToBytes(value.base64);
    if (bytes.byteLength % Type.BYTES_PER_ELEMENT !== 0) throw new TypeError(`${tag} data of ${bytes.byteLength} bytes is not whole elements`);
    return new Type(bytes.buffer, bytes.byteOffset, bytes.byteLength / Type.BYTES_PER_ELEMENT) as AnyTypedArray;
  }
  throw new TypeError(`unknown tag ${JSON.stringify(tag)}`);
}

// ---- base64 (btoa/atob exist in every browser, worker and Node ≥ 16) ----

/** Bytes per String.fromCharCode call: large enough to be quick, small enough for the argument limit. */
const BASE64_BLOCK = 0x6000;

export function bytesToBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  for (let start = 0; start < bytes.length; start += BASE64_BLOCK) {
    parts.push(String.fromCharCode(...bytes.subarray(start, start + BASE64_BLOCK)));
  }
  return btoa(parts.join(''));
}

export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new TypeError('data is not valid base64');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
