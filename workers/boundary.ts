/**
 * What crosses a worker boundary besides plain values: errors keep their class, name and fields.
 *
 * Comlink's own "throw" handler sends only name, message and stack, so a StorageQuotaError thrown
 * in the ingest worker reached the page without the usage, quota and datasets the UI shows. This
 * handler also sends the error's own data fields (and the cause's message), and rebuilds the
 * error as an instance of its class when the class is one of the named errors of
 * src/core/errors.ts, so `instanceof` works on the page as in Node tests. Both sides install it:
 * every worker facade and the main-thread client (src/clients/worker-client.ts).
 */
import * as Comlink from 'comlink';
import { NAMED_ERRORS } from '../src/core/errors';

interface SerializedError {
  isError: true;
  name: string;
  message: string;
  stack?: string;
  fields: Record<string, unknown>;
}
type Serialized = SerializedError | { isError: false; value: unknown };

const classByName = new Map<string, { prototype: Error }>(Object.entries(NAMED_ERRORS));

/** Structured-cloneable data only: functions, class instances other than plain data and errors are dropped. */
function cloneable(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  if (depth > 4) return undefined;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => cloneable(v, depth + 1));
  if (ArrayBuffer.isView(value) || value instanceof Date) return value;
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const c = cloneable(v, depth + 1);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

export function serializeError(error: Error): SerializedError {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    const c = cloneable(value);
    if (c !== undefined) fields[key] = c;
  }
  if (error.cause !== undefined) fields.cause = cloneable(error.cause);
  return { isError: true, name: error.name, message: error.message, stack: error.stack, fields };
}

export function deserializeError(s: SerializedError): Error {
  const known = classByName.get(s.name);
  // Object.create skips the constructor, whose arguments (e.g. a quota to format) we don't have:
  // the message and fields are already the constructed ones.
  const error = known ? (Object.create(known.prototype) as Error) : new Error(s.message);
  Object.defineProperty(error, 'message', { value: s.message, writable: true, configurable: true });
  Object.defineProperty(error, 'name', { value: s.name, writable: true, configurable: true });
  if (s.stack) Object.defineProperty(error, 'stack', { value: s.stack, writable: true, configurable: true });
  Object.assign(error, s.fields);
  return error;
}

type ThrownValue = { value: unknown };
const errorHandler: Comlink.TransferHandler<ThrownValue, Serialized> = {
  // Replaced by Comlink's own test (its private throw marker) when installed.
  canHandle: (value: unknown): value is ThrownValue => false,
  serialize: ({ value }) => [value instanceof Error ? serializeError(value) : { isError: false, value }, []],
  deserialize: (s) => {
    throw s.isError ? deserializeError(s) : s.value;
  },
};

let installed = false;

/** Replaces Comlink's "throw" handler in this realm; idempotent. */
export function installBoundary(): void {
  if (installed) return;
  const builtIn = Comlink.transferHandlers.get('throw');
  if (!builtIn) throw new Error('Comlink has no "throw" transfer handler to extend');
  errorHandler.canHandle = (value: unknown): value is ThrownValue => builtIn.canHandle(value);
  Comlink.transferHandlers.set('throw', errorHandler as Comlink.TransferHandler<unknown, unknown>);
  installed = true;
}
