import { abortError, throwIfAborted } from '../core/abort';
import { ModelFileMissingError } from '../core/errors';

export { ModelFileMissingError };

export interface DownloadOptions {
  fetch: typeof fetch;
  signal?: AbortSignal;
  /** Bytes received so far of this file, and its size when the server said. */
  onBytes?: (received: number, total: number | null) => void;
  retries?: number;
  /** Base delay before a retry, doubled each time. */
  retryDelayMs?: number;
}

const DEFAULT_RETRIES = 3;

/**
 * Downloads one file. When the connection drops part-way, it asks only for the missing bytes
 * (HTTP Range) and appends them; a server that ignores ranges sends the whole file again, which is
 * then restarted cleanly. Missing files (404, 401, 403) fail at once: retrying cannot help.
 */
export async function downloadFile(url: string, options: DownloadOptions): Promise<Blob> {
  const retries = options.retries ?? DEFAULT_RETRIES;
  const parts: Uint8Array[] = [];
  let received = 0;
  let total: number | null = null;
  let contentType = '';
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal);
    try {
      const headers: HeadersInit = received > 0 ? { Range: `bytes=${received}-` } : {};
      // Called unbound: browsers throw "Illegal invocation" when fetch's `this` is not the global.
      const fetchFile = options.fetch;
      const response = await fetchFile(url, { headers, signal: options.signal });
      if (response.status === 404 || response.status === 401 || response.status === 403) throw new ModelFileMissingError(url, response.status);
      if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
      // Static hosts with a single-page-app fallback answer a missing file with index.html and 200.
      if (isHtmlFallback(url, response.headers.get('content-type'))) throw new ModelFileMissingError(url, 404);
      if (received > 0 && response.status !== 206) {
        // The server ignored the range: start this file over.
        parts.length = 0;
        received = 0;
      }
      contentType = response.headers.get('content-type') ?? contentType;
      const length = Number(response.headers.get('content-length'));
      if (total === null && Number.isFinite(length) && length > 0) total = received + length;
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        received += value.byteLength;
        options.onBytes?.(received, total);
      }
      if (total !== null && received < total) throw new Error(`${url}: connection closed after ${received} of ${total} bytes`);
      return new Blob(parts as BlobPart[], contentType ? { type: contentType } : {});
    } catch (error) {
      if (error instanceof ModelFileMissingError || isAbort(error, options.signal) || attempt >= retries) throw error;
      await sleep((options.retryDelayMs ?? 400) * 2 ** attempt, options.signal);
    }
  }
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(abortError());
    }, { once: true });
  });
}

/** An HTML page where a model file (JSON, ONNX, text) was asked for: the host's fallback page. */
function isHtmlFallback(url: string, contentType: string | null): boolean {
  return (contentType ?? '').toLowerCase().startsWith('text/html') && !/\.html?(\?|$)/i.test(url);
}
