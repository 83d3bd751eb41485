/**
 * A push-to-pull bridge for streamed chat chunks: the engines learn of tokens through callbacks
 * (transformers.js's streamer, a worker's proxied callback, web-llm's own async iterator on
 * another thread) while the chat interface hands out an AsyncIterable. Chunks pushed before
 * anyone reads are kept in order; an error ends the stream by rejecting the next read.
 */
import type { ChatChunk } from './engine';

export class ChunkStream implements AsyncIterable<ChatChunk> {
  private readonly queue: ChatChunk[] = [];
  private waiting: { resolve: (r: IteratorResult<ChatChunk>) => void; reject: (e: unknown) => void } | null = null;
  private ended = false;
  private failure: { error: unknown } | null = null;

  push(chunk: ChatChunk): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: chunk, done: false });
    } else {
      this.queue.push(chunk);
    }
    // The last chunk (with its finish reason) closes the stream: nothing may follow it.
    if (chunk.finish_reason !== null) this.ended = true;
  }

  /** Ends the stream with an error: chunks already pushed are still read first. */
  fail(error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = { error };
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
  }

  get closed(): boolean {
    return this.ended;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatChunk> {
    return {
      next: () => {
        const chunk = this.queue.shift();
        if (chunk) return Promise.resolve({ value: chunk, done: false });
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => { this.waiting = { resolve, reject }; });
      },
    };
  }
}

/**
 * One engine answers one request at a time: each stream's work starts after the previous one's
 * ends (a failure ends only its own stream). `idle` resolves once everything queued has finished,
 * so unloading a model never pulls it from under an answer.
 */
export class StreamQueue {
  private tail: Promise<void> = Promise.resolve();

  open(work: (stream: ChunkStream) => Promise<void>): AsyncIterable<ChatChunk> {
    const stream = new ChunkStream();
    this.tail = this.tail.then(() => work(stream)).catch((error: unknown) => stream.fail(error));
    return stream;
  }

  get idle(): Promise<void> {
    return this.tail;
  }
}
