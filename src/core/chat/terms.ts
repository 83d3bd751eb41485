/**
 * A question's content terms: the words that say what it is about. Retrieval searches with them
 * and refusal checks them against the sources' subjects.
 *
 * Measured on the shared corpus (5,432 BREF sections with their texts + 3,239 EP pollution
 * patents): searching with the whole question ranked sections by "about" ("Tell me about
 * emissions") and "best" ("the best recipe for pancakes" → "best available techniques"). BM25's
 * stop list keeps such words, since in a patent they may carry meaning; in a question they only
 * say what is asked, so they are dropped here, as are the meta words "patent", "section",
 * "source" (every question to this app is about patents and sections: they ground nothing).
 */
import { tokenize } from '../prefilter/tokenize';

const QUESTION_WORDS: ReadonlySet<string> = new Set([
  'what', 'whats', 'which', 'who', 'whom', 'whose', 'when', 'where', 'why', 'how', 'does', 'do', 'did', 'done',
  'is', 'are', 'was', 'will', 'would', 'could', 'should', 'shall', 'might', 'must', 'can', 'i', 'me', 'my', 'we',
  'us', 'our', 'you', 'your', 'they', 'them', 'these', 'those', 'this', 'that', 'it', 'its', 'he', 'she',
  'please', 'tell', 'explain', 'describe', 'summarise', 'summarize', 'summary', 'compare', 'comparison', 'list',
  'show', 'give', 'find', 'about', 'between', 'there', 'any', 'all', 'some', 'most', 'more', 'less', 'much',
  'many', 'than', 'then', 'so', 'not', 'no', 'yes', 'also', 'other', 'each', 'every', 'both', 'same', 'different',
  'difference', 'differences', 'common', 'item', 'items', 'source', 'sources', 'selected', 'chosen', 'above',
  'here', 'if', 'but', 'very', 'just', 'only', 'up', 'out', 'over', 'under', 'after', 'before', 'know', 'mean',
  'means', 'kind', 'kinds', 'type', 'types', 'way', 'ways', 'thing', 'things', 'one', 'ones', 'get', 'make',
  'best', 'good', 'better', 'worst', 'top', 'example', 'examples', 'patent', 'patents', 'section', 'sections',
  'bref', 'brefs', 'data', 'dataset', 'answer', 'question',
]);

/** BM25's tokens of the question minus question words, citation tags and single characters; no repeats. */
export function contentTerms(question: string): string[] {
  // Tags are references to the context, not words to match ("[P1]" would tokenize to "p1").
  const text = question.replace(/\[\s*[PBLSCF][0-9]+(?:\s*[,;]\s*[PBLSCF][0-9]+)*\s*\]/g, ' ');
  return [...new Set(tokenize(text))].filter((t) => t.length > 1 && !QUESTION_WORDS.has(t));
}
