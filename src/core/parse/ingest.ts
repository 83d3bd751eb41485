import { AbortRegistry, throwIfAborted, type TaskOptions } from '../abort';
import { ProgressTracker, type ProgressCallback } from '../progress';
import { JsonlPatentParser, type ParseResult } from './jsonl';

/**
 * Reads patents from a byte stream chunk by chunk (never the whole file as one string).
 * Plain class: used directly in Node and behind comlink in the ingest worker.
 */
export class IngestEngine {
  private readonly aborts = new AbortRegistry();

  async parseStream(
    stream: ReadableStream<Uint8Array>,
    totalBytes: number,
    options: TaskOptions = {},
    onProgress?: ProgressCallback,
  ): Promise<ParseResult> {
    const signal = this.aborts.begin(options.taskId, options.signal);
    const tracker = new ProgressTracker('parse', 'bytes', Math.max(totalBytes, 1), onProgress);
    const parser = new JsonlPatentParser();
    const decoder = new TextDecoder();
    const reader = stream.getReader();
    let bytes = 0;
    try {
      for (;;) {
        throwIfAborted(signal);
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        parser.push(decoder.decode(value, { stream: true }));
        tracker.report(bytes);
      }
      parser.push(decoder.decode());
      tracker.finish();
      return parser.end();
    } finally {
      reader.releaseLock();
      this.aborts.end(options.taskId);
    }
  }

  /** Bundled data served by the app (the demo corpus). */
  async parseUrl(url: string, options: TaskOptions = {}, onProgress?: ProgressCallback): Promise<ParseResult> {
    const response = await fetch(url);
    if (!response.ok || !response.body) throw new Error(`GET ${url} answered ${response.status}`);
    return this.parseStream(response.body, Number(response.headers.get('content-length') ?? 0), options, onProgress);
  }

  abort(taskId: string): void {
    this.aborts.abort(taskId);
  }
}
