/**
 * The grounded prompt: a system message with the rules (answer only from the numbered sources,
 * cite their tags) and a user message with every context item's real text — the patent's title
 * and abstract, the section's text, a pollutant's SDG impacts and linked sections, an SDG row's
 * pollutants with their impact values — then the question. Messages are in the OpenAI / web-llm
 * shape, so every engine takes them as they are.
 *
 * Fitting the model's context: the budget (the model's window minus what is kept for the answer)
 * is measured with the engine's own tokenizer through `countTokens`. When the sources do not fit,
 * the longest are cut first (a cap on item length, lowered until the total fits: short items stay
 * whole, long ones end at the same length), each keeping its tag and head line; only when even the
 * head lines do not fit are the last sources left out. Either way the result carries a note the
 * view shows, since an answer from shortened sources may miss what was cut.
 */
import type { ContextEntry } from './context';
import type { ChatMessage } from './engine';
import { entryText, itemBody, renderItem } from './render';

export type CountTokens = (text: string) => number;

export interface PromptInput {
  question: string;
  entries: readonly ContextEntry[];
  /** Earlier turns, oldest first; the oldest are dropped first when they crowd out the sources. */
  history?: readonly ChatMessage[];
  /** Tokens the prompt may take: the model's context length minus the tokens kept for the answer. */
  budget: number;
  countTokens: CountTokens;
  /** Tokens a chat template adds around each message (role markers; default 4). */
  messageOverhead?: number;
}

export interface Prompt {
  messages: ChatMessage[];
  /** The visible note when sources were shortened or left out; null when all went in whole. */
  note: string | null;
  /** Tags of the sources sent shortened. */
  shortened: string[];
  /** Tags of the sources left out. */
  omitted: string[];
  /** Earlier messages left out to make room. */
  droppedHistory: number;
  /** The prompt's size as counted (≤ budget). */
  tokens: number;
}

export const SYSTEM_PROMPT = [
  "You answer questions about the user's patents and the EU BREF catalogue of pollution-abatement techniques,",
  'using only the numbered sources given in the message.',
  'Each source starts with its tag: [P1] a patent, [B1] a BREF section, [L1] a pollutant, [S1] a Sustainable',
  'Development Goal with its pollutant impacts, [C1] a technology code, [F1] a forecast pair of codes.',
  'Rules:',
  '1. Use only facts stated in the sources. Do not use any other knowledge.',
  '2. End every sentence with the tags of the sources it rests on, for example: "... removes ammonia [P1][B2]."',
  '3. Cite only tags that appear in the sources.',
  '4. If the sources do not contain the answer, say: "The sources do not say." and nothing more.',
  '5. Give numbers exactly as the sources give them.',
].join('\n');

const SHORTENED = ' … (shortened)';

export function sourcesBlock(texts: readonly string[]): string {
  return texts.length ? `Sources:\n\n${texts.join('\n\n')}` : 'Sources: none.';
}

export function userMessage(sources: string, question: string): string {
  return `${sources}\n\nQuestion: ${question}`;
}

/** The sentence a view shows under the answer; null when nothing was cut. */
export function truncationNote(shortened: number, omitted: number): string | null {
  const parts: string[] = [];
  if (shortened > 0) parts.push(`${shortened} ${shortened === 1 ? 'source was' : 'sources were'} shortened to fit the model's context.`);
  if (omitted > 0) parts.push(`${omitted} ${omitted === 1 ? 'source was' : 'sources were'} left out to fit the model's context.`);
  return parts.length ? parts.join(' ') : null;
}

interface Sized {
  entry: ContextEntry;
  body: string;
  /** Tokens of the whole item, and of its head line alone. */
  full: number;
  head: number;
}

export function buildPrompt(input: PromptInput): Prompt {
  const { question, countTokens, budget } = input;
  const overhead = input.messageOverhead ?? 4;
  if (!(Number.isFinite(budget) && budget > 0)) throw new RangeError(`The prompt budget must be a positive number of tokens, not ${budget}.`);
  const count = (text: string): number => {
    const n = countTokens(text);
    if (!(Number.isFinite(n) && n >= 0)) throw new RangeError(`countTokens returned ${n} for a text of ${text.length} characters.`);
    return n;
  };
  const items: Sized[] = input.entries.map((entry) => {
    const body = itemBody(renderItem(entry.item));
    return { entry, body, full: count(entryText(entry, body)), head: count(entryText(entry, '')) };
  });

  // 1. The fixed part: rules, question, history. History goes oldest first until the head lines fit.
  const history = [...(input.history ?? [])];
  let droppedHistory = 0;
  const fixedTokens = (): number =>
    count(SYSTEM_PROMPT) + count(userMessage(sourcesBlock([]), question)) + history.reduce((n, m) => n + count(m.content) + overhead, 0) + 2 * overhead;
  const heads = items.reduce((n, s) => n + s.head, 0);
  let fixed = fixedTokens();
  while (history.length > 0 && fixed + heads > budget) {
    history.shift();
    droppedHistory++;
    fixed = fixedTokens();
  }
  if (fixed > budget) {
    throw new RangeError(`The question and the rules take ${fixed} tokens, more than the prompt budget of ${budget}; ask a shorter question or load a model with a longer context.`);
  }

  // 2. Fit the sources; re-fit with less room if the assembled prompt counts more than the parts
  //    (tokenizers are not additive across joins).
  let room = budget - fixed;
  for (let attempt = 0; ; attempt++) {
    const fitted = fitSources(items, room, count);
    const user = userMessage(sourcesBlock(fitted.texts), question);
    const messages: ChatMessage[] = [{ role: 'system', content: SYSTEM_PROMPT }, ...history, { role: 'user', content: user }];
    const tokens = messages.reduce((n, m) => n + count(m.content) + overhead, 0);
    if (tokens <= budget || attempt === 4 || room <= 0) {
      if (tokens > budget) throw new RangeError(`The prompt takes ${tokens} tokens and cannot be fitted into ${budget}.`);
      return {
        messages,
        note: truncationNote(fitted.shortened.length, fitted.omitted.length),
        shortened: fitted.shortened,
        omitted: fitted.omitted,
        droppedHistory,
        tokens,
      };
    }
    room -= tokens - budget;
  }
}

interface Fitted {
  texts: string[];
  shortened: string[];
  omitted: string[];
}

/** The items' texts within `room` tokens: the longest cut first, the last left out if heads alone overflow. */
function fitSources(items: readonly Sized[], room: number, count: CountTokens): Fitted {
  const separator = items.length > 1 ? count('\n\n') : 0;
  const cost = (n: number, size: number) => size + Math.max(0, n - 1) * separator;
  let kept = items.length;
  while (kept > 0 && cost(kept, items.slice(0, kept).reduce((n, s) => n + s.head, 0)) > room) kept--;
  const omitted = items.slice(kept).map((s) => s.entry.tag);
  const inside = items.slice(0, kept);
  const total = (cap: number) => cost(inside.length, inside.reduce((n, s) => n + Math.min(s.full, Math.max(cap, s.head)), 0));

  if (total(Infinity) <= room) return { texts: inside.map((s) => entryText(s.entry, s.body)), shortened: [], omitted };
  // The largest cap on item length that fits: binary search, since total() grows with the cap.
  let lo = 0;
  let hi = Math.max(...inside.map((s) => s.full));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (total(mid) <= room) lo = mid;
    else hi = mid - 1;
  }
  const shortened: string[] = [];
  const texts = inside.map((s) => {
    const cap = Math.max(lo, s.head);
    if (s.full <= cap) return entryText(s.entry, s.body);
    shortened.push(s.entry.tag);
    return shorten(s, cap, count);
  });
  return { texts, shortened, omitted };
}

/** The item with its body cut (at a word break) so the whole is at most `cap` tokens. */
function shorten(s: Sized, cap: number, count: CountTokens): string {
  const fits = (chars: number) => count(entryText(s.entry, cutAt(s.body, chars))) <= cap;
  let lo = 0;
  let hi = s.body.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  // Snapping to a word break makes fits() not quite monotone; step back until it holds (fits(0) does).
  while (lo > 0 && !fits(lo)) lo = Math.floor(lo * 0.9);
  return entryText(s.entry, cutAt(s.body, lo));
}

/** The first `chars` characters, back to the last word break, with the mark; '' when nothing is left. */
function cutAt(body: string, chars: number): string {
  if (chars <= 0) return '';
  let end = chars;
  const space = body.lastIndexOf(' ', chars);
  if (space > chars * 0.6) end = space;
  const kept = body.slice(0, end).trimEnd();
  return kept ? kept + SHORTENED : '';
}
