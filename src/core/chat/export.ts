/**
 * A conversation as Markdown: each question and its answer (citations kept as tags, unsupported
 * ones and uncited sentences marked as the view marks them), then every cited item with the text
 * the model was given. Exports are inert: everything from the user's data or the model is escaped,
 * so a patent title with `*`, `<script>` or a leading `#` is shown as written, never as markup.
 */
import { parseAnswer } from './citations';
import type { ContextEntry } from './context';
import { renderItem } from './render';

export interface ConversationTurn {
  question: string;
  /** The answer, or the refusal message when `refused`. */
  answer: string;
  refused?: boolean;
  /** The truncation note shown with the answer, if any. */
  note?: string | null;
  /** The context the answer was given with: what its tags refer to. */
  context: readonly ContextEntry[];
}

export interface Conversation {
  title: string;
  /** E.g. the dataset's name and the engine; shown under the title. */
  subtitle?: string;
  turns: readonly ConversationTurn[];
}

/** Characters that start markup anywhere in a line (CommonMark + GFM tables and strikethrough). */
const INLINE = /[\\`*_[\]<>|~&]/g;

/**
 * Escapes text for use inside a Markdown paragraph or heading: markup characters get a backslash
 * (CommonMark lets any ASCII punctuation be escaped), a line that would open a heading, quote,
 * list, rule or setext underline is escaped at its start, and leading indentation (a code block
 * in Markdown) is dropped.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => {
      const escaped = line.trimStart().replace(INLINE, (c) => `\\${c}`);
      return escaped
        .replace(/^([#>+=-])/, '\\$1')
        .replace(/^(\d+)([.)])/, '$1\\$2');
    })
    .join('\n');
}

/** One line of user text (a heading): line breaks become spaces. */
export function escapeInline(text: string): string {
  return escapeMarkdown(text.replace(/\s*[\r\n]+\s*/g, ' '));
}

function answerMarkdown(turn: ConversationTurn): string {
  if (turn.refused) return `*${escapeMarkdown(turn.answer)}*`;
  const parsed = parseAnswer(turn.answer, (tag) => turn.context.find((e) => e.tag === tag));
  let out = '';
  for (const sentence of parsed.sentences) {
    if (out !== '') out += sentence.breakBefore === 'paragraph' ? '\n\n' : sentence.breakBefore === 'line' ? '  \n' : ' ';
    let text = '';
    for (const part of sentence.parts) {
      if (part.kind === 'text') text += escapeMarkdown(part.text);
      else text += part.entry ? `\\[${part.tag}\\]` : `\\[${part.tag}\\] *(not in the sources)*`;
    }
    out += sentence.uncited ? `${text} *(no source cited)*` : text;
  }
  return out;
}

interface CitedSource {
  entry: ContextEntry;
  /** The question (1-based) it was first cited in; shown when a tag was reused after "clear all". */
  turn: number;
}

/** Cited entries across the conversation, in first-cited order; a tag reused for another item is listed again. */
export function citedSources(turns: readonly ConversationTurn[]): CitedSource[] {
  const out: CitedSource[] = [];
  const seen = new Set<string>();
  turns.forEach((turn, t) => {
    if (turn.refused) return;
    const parsed = parseAnswer(turn.answer, (tag) => turn.context.find((e) => e.tag === tag));
    for (const tag of parsed.supported) {
      const entry = turn.context.find((e) => e.tag === tag)!;
      const key = `${tag}\u0000${entry.item.kind}\u0000${entry.item.id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ entry, turn: t + 1 });
    }
  });
  return out;
}

export function conversationMarkdown(conversation: Conversation): string {
  const lines: string[] = [`# ${escapeInline(conversation.title)}`, ''];
  if (conversation.subtitle) lines.push(escapeInline(conversation.subtitle), '');
  conversation.turns.forEach((turn, t) => {
    lines.push(`## Question ${t + 1}`, '', escapeMarkdown(turn.question), '', '### Answer', '', answerMarkdown(turn), '');
    if (turn.note) lines.push(`*${escapeMarkdown(turn.note)}*`, '');
  });
  const sources = citedSources(conversation.turns);
  if (sources.length) {
    lines.push('## Sources', '');
    const tagCount = new Map<string, number>();
    for (const s of sources) tagCount.set(s.entry.tag, (tagCount.get(s.entry.tag) ?? 0) + 1);
    for (const { entry, turn } of sources) {
      const rendered = renderItem(entry.item);
      const when = (tagCount.get(entry.tag) ?? 0) > 1 ? ` (question ${turn})` : '';
      lines.push(`### \\[${entry.tag}\\] ${escapeInline(rendered.head)}${when}`, '');
      for (const fact of rendered.facts) lines.push(`- ${escapeInline(fact)}`);
      if (rendered.facts.length) lines.push('');
      if (rendered.text) lines.push(escapeMarkdown(rendered.text), '');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
