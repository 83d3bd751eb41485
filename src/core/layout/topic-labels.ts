/**
 * Topic labels for map regions by class-based TF-IDF (c-TF-IDF, Grootendorst 2022, as BERTopic's
 * ClassTfidfTransformer): all texts of a cluster form one document; a term's weight in cluster c is
 *   tf(t, c) · log(1 + A / f(t)),
 * tf the term's count in c divided by c's word count, f(t) its count over all clusters and A the
 * mean number of words per cluster. Terms frequent in one cluster and rare elsewhere win.
 */
export interface TopicTerm {
  term: string;
  score: number;
}

export interface TopicLabel {
  cluster: number;
  /** Number of texts in the cluster. */
  size: number;
  terms: TopicTerm[];
  /** The first `labelTerms` terms joined, e.g. "battery · anode · electrolyte". */
  label: string;
}

export interface TopicLabelOptions {
  /** Terms kept per cluster. */
  topTerms?: number;
  /** Terms joined into the label. */
  labelTerms?: number;
  stopWords?: ReadonlySet<string>;
  minTermLength?: number;
}

/** English function words plus the boilerplate every patent uses, which names no technology. */
export const TOPIC_STOP_WORDS: ReadonlySet<string> = new Set((
  'a an and are as at be been being but by can could do does for from had has have having how i if in into is it its '
  + 'may more most no not of on one or other our said same so such than that the their them then there these they this '
  + 'those through thus to two under up upon via was were what when where whereby wherein which while who will with within '
  + 'without would also each first second third least plurality thereof therein thereby herein '
  + 'invention inventions method methods device devices apparatus apparatuses system systems comprising comprises comprise '
  + 'include includes including included provide provides provided providing disclosed disclose discloses embodiment '
  + 'embodiments use used using unit units means assembly arrangement process processes improved improve improves '
  + 'based configured arranged operating operate coupled reduced having respective predetermined present claim claims '
  + 'according particular example portion part parts step steps further'
).split(' '));

const DEFAULT_TOP_TERMS = 10;
const DEFAULT_LABEL_TERMS = 3;
const DEFAULT_MIN_TERM_LENGTH = 3;

/** Lower-case letter runs (Unicode letters, inner hyphens kept); digits and punctuation split words. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/\p{L}+(?:-\p{L}+)*/gu) ?? [];
}

/** Kept terms of one text: tokens that are long enough and not stop words. */
export function topicTerms(text: string, options: TopicLabelOptions = {}): string[] {
  const stopWords = options.stopWords ?? TOPIC_STOP_WORDS;
  const minLength = options.minTermLength ?? DEFAULT_MIN_TERM_LENGTH;
  return tokenize(text).filter((token) => token.length >= minLength && !stopWords.has(token));
}

/**
 * One label per cluster id present in `clusters` (ascending ids; negative ids, e.g. noise, are
 * skipped). `texts[i]` belongs to cluster `clusters[i]`.
 */
export function topicLabels(texts: readonly string[], clusters: ArrayLike<number>, options: TopicLabelOptions = {}): TopicLabel[] {
  if (texts.length !== clusters.length) throw new RangeError('every text needs a cluster');
  const counts = new Map<number, Map<string, number>>();
  const sizes = new Map<number, number>();
  const totals = new Map<string, number>();
  texts.forEach((text, i) => {
    const cluster = clusters[i];
    if (cluster < 0) return;
    sizes.set(cluster, (sizes.get(cluster) ?? 0) + 1);
    let termCounts = counts.get(cluster);
    if (!termCounts) counts.set(cluster, (termCounts = new Map()));
    for (const term of topicTerms(text, options)) {
      termCounts.set(term, (termCounts.get(term) ?? 0) + 1);
      totals.set(term, (totals.get(term) ?? 0) + 1);
    }
  });
  const ids = [...counts.keys()].sort((x, y) => x - y);
  let allWords = 0;
  for (const count of totals.values()) allWords += count;
  const averageWords = ids.length > 0 ? allWords / ids.length : 0;
  const topTerms = options.topTerms ?? DEFAULT_TOP_TERMS;
  const labelTerms = options.labelTerms ?? DEFAULT_LABEL_TERMS;

  return ids.map((cluster) => {
    const termCounts = counts.get(cluster) as Map<string, number>;
    let words = 0;
    for (const count of termCounts.values()) words += count;
    const scored: TopicTerm[] = [...termCounts].map(([term, count]) => ({
      term,
      score: (count / words) * Math.log(1 + averageWords / (totals.get(term) as number)),
    }));
    // Ties broken alphabetically so labels do not depend on text order.
    scored.sort((x, y) => y.score - x.score || (x.term < y.term ? -1 : x.term > y.term ? 1 : 0));
    const terms = scored.slice(0, topTerms);
    return {
      cluster,
      size: sizes.get(cluster) ?? 0,
      terms,
      label: terms.slice(0, labelTerms).map((t) => t.term).join(' · '),
    };
  });
}
