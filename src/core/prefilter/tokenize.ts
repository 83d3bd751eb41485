/**
 * The prefilter's tokenizer: lower case, split on anything that is not a letter or a digit (any
 * script, so "Abgasreinigung" and "NOx" stay whole words), drop a short English stop list. No
 * stemming: BREF texts and patent abstracts share their technical vocabulary word for word often
 * enough, and a stemmer would be one more thing to get subtly wrong.
 */

const STOP_WORDS: ReadonlySet<string> = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'been', 'by', 'can', 'for', 'from', 'has', 'have',
  'in', 'into', 'is', 'it', 'its', 'may', 'of', 'on', 'or', 'such', 'that', 'the', 'their',
  'there', 'these', 'this', 'to', 'was', 'were', 'which', 'with', 'within', 'without',
]);

const SEPARATOR = /[^\p{L}\p{N}]+/u;

export function isStopWord(token: string): boolean {
  return STOP_WORDS.has(token);
}

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  for (const part of text.toLowerCase().split(SEPARATOR)) {
    if (part !== '' && !STOP_WORDS.has(part)) tokens.push(part);
  }
  return tokens;
}
