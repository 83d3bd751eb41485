/**
 * An answer split into sentences and citations, for a view to render as text runs and links
 * (never as HTML: the answer is model output, and page text is never rendered as markup).
 *
 * - A citation is a tag in brackets, `[P1]`, or several in one pair, `[P1, B2]` / `[P1; B2]`.
 *   A tag in the context resolves to its entry (the link opens the item); a well-formed tag that is
 *   not in the context is kept and marked unsupported, so a model inventing `[P9]` is shown, not hidden.
 * - Sentences end at . ! ? followed by a space, and at line breaks (list items). Tags right after
 *   the full stop (`… emissions. [P1]`) belong to the sentence before: models write both orders.
 * - A sentence with words and no citation is flagged `uncited`.
 */
import { type ContextEntry, kindOfTag } from './context';

export type AnswerPart =
  | { kind: 'text'; text: string }
  | { kind: 'citation'; tag: string; entry: ContextEntry | null };

export interface AnswerSentence {
  parts: AnswerPart[];
  /** Tags cited in the sentence, in order, without repeats. */
  tags: string[];
  /** Has words but no citation. */
  uncited: boolean;
  /** Whether a line break (or a blank line: a new paragraph) came before the sentence. */
  breakBefore: 'none' | 'line' | 'paragraph';
}

export interface ParsedAnswer {
  sentences: AnswerSentence[];
  /** Tags cited anywhere that resolve, in first-cited order. */
  supported: string[];
  /** Tags cited anywhere that are not in the context. */
  unsupported: string[];
  /** Sentences flagged uncited. */
  uncited: number;
}

/** Resolves a tag (without brackets) to its entry; ChatContext.byTag fits. */
export type TagLookup = (tag: string) => ContextEntry | undefined;

/** A bracket holding one or more tags separated by commas or semicolons. */
const CITATION = /\[\s*([A-Z][0-9]+(?:\s*[,;]\s*[A-Z][0-9]+)*)\s*\]/g;

/** Words before a full stop that do not end a sentence. */
const ABBREVIATIONS = new Set(['e.g', 'i.e', 'etc', 'cf', 'vs', 'approx', 'fig', 'no', 'nr', 'eq', 'al', 'ca', 'resp', 'incl']);

export function parseAnswer(answer: string, lookup: TagLookup): ParsedAnswer {
  const sentences: AnswerSentence[] = [];
  const supported = new Set<string>();
  const unsupported = new Set<string>();
  for (const { text, breakBefore } of splitSentences(answer)) {
    const parts = splitCitations(text, lookup);
    if (parts.length === 0) continue;
    // Leading citations belong to the sentence before (`… emissions. [P1] Next …`).
    const previous = sentences[sentences.length - 1];
    while (previous && breakBefore === 'none' && parts.length && (parts[0].kind === 'citation' || isBlank(parts[0]))) {
      const part = parts.shift()!;
      if (part.kind === 'citation') {
        const last = previous.parts[previous.parts.length - 1];
        // Keep the space the answer had between the full stop and the tag.
        if (last.kind === 'text' && !/\s$/.test(last.text)) previous.parts.push({ kind: 'text', text: ' ' });
        previous.parts.push(part);
        if (!previous.tags.includes(part.tag)) previous.tags.push(part.tag);
        previous.uncited = false;
      }
    }
    if (parts.length === 0) continue;
    if (parts[0].kind === 'text') parts[0] = { kind: 'text', text: parts[0].text.trimStart() };
    const tags: string[] = [];
    for (const p of parts) if (p.kind === 'citation' && !tags.includes(p.tag)) tags.push(p.tag);
    const words = parts.some((p) => p.kind === 'text' && /[\p{L}\p{N}]/u.test(p.text));
    sentences.push({ parts, tags, uncited: words && tags.length === 0, breakBefore });
  }
  for (const s of sentences) {
    for (const p of s.parts) if (p.kind === 'citation') (p.entry ? supported : unsupported).add(p.tag);
  }
  return { sentences, supported: [...supported], unsupported: [...unsupported], uncited: sentences.filter((s) => s.uncited).length };
}

function isBlank(part: AnswerPart): boolean {
  return part.kind === 'text' && part.text.trim() === '';
}

/** The text as runs and citations; a bracket whose letters are not tag kinds stays text (`[A1]`, `[1]`). */
export function splitCitations(text: string, lookup: TagLookup): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let last = 0;
  for (const match of text.matchAll(CITATION)) {
    const tags = match[1].split(/\s*[,;]\s*/);
    if (!tags.every((t) => kindOfTag(t) !== undefined)) continue;
    if (match.index > last) parts.push({ kind: 'text', text: text.slice(last, match.index) });
    for (const tag of tags) parts.push({ kind: 'citation', tag, entry: lookup(tag) ?? null });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts.filter((p) => p.kind === 'citation' || p.text !== '');
}

interface RawSentence {
  text: string;
  breakBefore: AnswerSentence['breakBefore'];
}

/** Sentences by line, then by end punctuation followed by white space (not after an abbreviation or a lone initial). */
export function splitSentences(answer: string): RawSentence[] {
  const out: RawSentence[] = [];
  let pendingBreak: RawSentence['breakBefore'] = 'none';
  const lines = answer.replace(/\r\n?/g, '\n').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') {
      if (i > 0 && out.length) pendingBreak = 'paragraph';
      return;
    }
    if (out.length && pendingBreak === 'none') pendingBreak = 'line';
    let start = 0;
    const end = /[.!?]+["')\]]*(?=\s)/g;
    for (const m of line.matchAll(end)) {
      const stop = m.index + m[0].length;
      const before = line.slice(start, m.index);
      const word = /([\p{L}.]+)$/u.exec(before)?.[1]?.toLowerCase() ?? '';
      if (m[0].startsWith('.') && (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word))) continue;
      push(line.slice(start, stop));
      start = stop;
    }
    push(line.slice(start));
  });
  return out;

  function push(text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') return;
    out.push({ text: trimmed, breakBefore: out.length ? pendingBreak : 'none' });
    pendingBreak = 'none';
  }
}

/** Plain text of a parsed sentence with tags in brackets, e.g. for copying. */
export function sentenceText(sentence: AnswerSentence): string {
  return sentence.parts.map((p) => (p.kind === 'text' ? p.text : `[${p.tag}]`)).join('');
}
