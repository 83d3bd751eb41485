/**
 * Recognising "storage full" across browsers. Depending on where the write failed it arrives as:
 * - a DOMException named QuotaExceededError (code 22) from a request or a synchronous put;
 * - Firefox's NS_ERROR_DOM_QUOTA_REACHED (code 1014);
 * - an AbortError from a transaction whose `error` is the QuotaExceededError (Chrome often fails
 *   the commit, not the request);
 * - wrapped by a library in `inner` or `cause`.
 */

const QUOTA_ERROR_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED']);
/** Legacy DOMException codes: QUOTA_EXCEEDED_ERR = 22; Firefox's NS_ERROR_DOM_QUOTA_REACHED = 1014. */
const QUOTA_ERROR_CODES = new Set([22, 1014]);
/** Guards against a cycle of causes. */
const MAX_WRAPPING_DEPTH = 5;

/**
 * True when `error`, something it wraps, or the error of the transaction it came from says the
 * quota is exceeded. Pass the failed transaction's `error` when you have it.
 */
export function isQuotaExceededError(error: unknown, transactionError?: unknown): boolean {
  return isQuota(error, 0) || isQuota(transactionError, 0);
}

function isQuota(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_WRAPPING_DEPTH) return false;
  const name = property(error, 'name');
  const code = property(error, 'code');
  if (typeof name === 'string' && QUOTA_ERROR_NAMES.has(name)) return true;
  if (typeof code === 'number' && QUOTA_ERROR_CODES.has(code)) return true;
  // An AbortError raised on behalf of a transaction (event.target.transaction, or the transaction itself).
  const target = property(error, 'target');
  const transaction = property(error, 'transaction') ?? property(target, 'transaction');
  return isQuota(property(error, 'inner'), depth + 1)
    || isQuota(property(error, 'cause'), depth + 1)
    || isQuota(property(target, 'error'), depth + 1)
    || isQuota(property(transaction, 'error'), depth + 1);
}

function property(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as Record<string, unknown>)[key];
}
