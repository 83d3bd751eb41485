/** Reads a chat stream to its end; `onChunk` sees each chunk and its index as it arrives (e.g. to abort mid-stream). */
import type { ChatChunk } from '../../../src/core/chat/engine';

export async function collect(stream: AsyncIterable<ChatChunk>, onChunk?: (chunk: ChatChunk, index: number) => void): Promise<ChatChunk[]> {
  const chunks: ChatChunk[] = [];
  for await (const chunk of stream) {
    onChunk?.(chunk, chunks.length);
    chunks.push(chunk);
  }
  return chunks;
}
