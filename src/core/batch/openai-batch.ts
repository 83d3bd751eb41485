/**
 * The verify stage for users who outgrow the browser: the shortlist as an OpenAI-style batch
 * input file (one `/v1/chat/completions` request per pair, one output token, its top logprobs),
 * which OpenAI's Batch API and vLLM's batch runner (`python -m vllm.entrypoints.openai.run_batch`)
 * both consume, and their output file read back into P(Yes) per pair.
 *
 * P(Yes) = p(Yes) / (p(Yes) + p(No)) over the first output token's top logprobs, summing the
 * spellings a tokenizer may produce ("Yes", " Yes", "yes"): the same quantity the in-browser
 * Yes/No model gives from its two logits, so the two paths rank alike.
 */

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface BatchRequestOptions {
  /** The model name the server serves (vLLM: the `--model` it was started with). */
  model: string;
  /** How many alternatives of the one output token to return (OpenAI allows up to 20). */
  topLogprobs?: number;
}

/** The pair a request is about; kept in `custom_id` so the output maps back without a side file. */
export interface BatchPairId {
  patent: string;
  section: string;
}

export function customIdOf(pair: BatchPairId): string {
  return JSON.stringify([pair.patent, pair.section]);
}

export function pairOfCustomId(customId: string): BatchPairId | null {
  try {
    const value: unknown = JSON.parse(customId);
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { patent: value[0], section: value[1] };
    }
  } catch {
    // not one of ours
  }
  return null;
}

/** One line of the batch input file. */
export function batchRequestLine(pair: BatchPairId, messages: readonly ChatMessage[], options: BatchRequestOptions): string {
  return JSON.stringify({
    custom_id: customIdOf(pair),
    method: 'POST',
    url: '/v1/chat/completions',
    body: {
      model: options.model,
      messages,
      max_tokens: 1,
      temperature: 0,
      logprobs: true,
      top_logprobs: options.topLogprobs ?? 20,
    },
  });
}

export interface BatchResult {
  pair: BatchPairId;
  /** Null when the request failed or neither answer was among the top logprobs (see `reason`). */
  pYes: number | null;
  reason?: string;
}

export interface BatchOutput {
  results: BatchResult[];
  /** Lines that could not be read at all (1-based line numbers). */
  errors: { line: number; reason: string }[];
}

interface TopLogprob { token?: unknown; logprob?: unknown }

/** P(Yes) from one token's top logprobs, or why there is none. */
export function yesProbability(top: readonly TopLogprob[]): number | { reason: string } {
  let yes = 0;
  let no = 0;
  for (const entry of top) {
    if (typeof entry.token !== 'string' || typeof entry.logprob !== 'number') continue;
    const word = entry.token.trim().toLowerCase();
    if (word === 'yes') yes += Math.exp(entry.logprob);
    else if (word === 'no') no += Math.exp(entry.logprob);
  }
  if (yes + no === 0) return { reason: 'neither Yes nor No among the top logprobs' };
  return yes / (yes + no);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** Reads a batch output file (JSON lines; a failed request has `error` or a non-200 status). */
export function parseBatchOutput(text: string): BatchOutput {
  const out: BatchOutput = { results: [], errors: [] };
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(raw);
    } catch {
      out.errors.push({ line, reason: 'not valid JSON' });
      return;
    }
    const customId = field(row, 'custom_id');
    const pair = typeof customId === 'string' ? pairOfCustomId(customId) : null;
    if (!pair) {
      out.errors.push({ line, reason: 'no custom_id of a (patent, section) pair' });
      return;
    }
    const error = field(row, 'error');
    const response = field(row, 'response');
    const status = field(response, 'status_code');
    if (error || (typeof status === 'number' && status !== 200)) {
      const message = field(error, 'message') ?? field(field(field(response, 'body'), 'error'), 'message');
      out.results.push({ pair, pYes: null, reason: `request failed${typeof status === 'number' ? ` (status ${status})` : ''}${typeof message === 'string' ? `: ${message}` : ''}` });
      return;
    }
    const choices = field(field(response, 'body'), 'choices');
    const first = Array.isArray(choices) ? choices[0] : undefined;
    const content = field(field(first, 'logprobs'), 'content');
    const top = Array.isArray(content) ? field(content[0], 'top_logprobs') : undefined;
    if (!Array.isArray(top)) {
      out.results.push({ pair, pYes: null, reason: 'no logprobs in the response (was the request sent with logprobs and top_logprobs?)' });
      return;
    }
    const p = yesProbability(top as TopLogprob[]);
    out.results.push(typeof p === 'number' ? { pair, pYes: p } : { pair, pYes: null, reason: p.reason });
  });
  return out;
}
