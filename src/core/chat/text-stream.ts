/**
 * Text that is already known — a report composed from the data, the list of sources found for a
 * question when no model is loaded, a refusal — streamed as ChatChunks, the shape every engine
 * streams in. The view then has one rendering path (text grows as it streams, citations link once
 * their bracket closes) and one Stop for model answers and data-only answers alike.
 *
 * Pieces end after white space, so a tag such as `[P12]` is never split across chunks and a
 * stopped answer ends on a whole word. `wait` runs between chunks: a timer in the app (the pace
 * the user reads at), a counter in tests; Stop is checked before every chunk.
 */
import type { ChatChunk, ChatUsage } from './engine';
import type { Report } from './reports';

export interface TextStreamOptions {
  signal?: AbortSignal;
  /** Words per chunk (default 3). */
  words?: number;
  /** Awaited between chunks (default: nothing, the next microtask). */
  wait?: () => Promise<void>;
}

/** The text as whole words, each with the white space after it; joined they are the text again. */
export function wordPieces(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? (text === '' ? [] : [text]);
}

/** The report as an answer: its paragraphs (the title is the turn's question, so no line goes uncited). */
export function reportAnswer(report: Report): string {
  return report.paragraphs.map((p) => p.text).join('\n\n');
}

export async function* streamText(text: string, options: TextStreamOptions = {}): AsyncGenerator<ChatChunk> {
  const per = Math.max(1, Math.floor(options.words ?? 3));
  const pieces = wordPieces(text);
  let sent = 0;
  for (let at = 0; at < pieces.length; at += per) {
    if (at > 0) await options.wait?.();
    if (options.signal?.aborted) {
      yield { delta: '', finish_reason: 'abort', usage: usage(sent) };
      return;
    }
    const delta = pieces.slice(at, at + per).join('');
    sent += Math.min(per, pieces.length - at);
    yield { delta, finish_reason: null };
  }
  // Everything was sent: a Stop pressed after the last piece changes nothing.
  yield { delta: '', finish_reason: 'stop', usage: usage(sent) };
}

/** Words stand in for tokens: nothing was generated, but the usage line keeps its shape. */
function usage(words: number): ChatUsage {
  return { prompt_tokens: 0, completion_tokens: words, total_tokens: words };
}
