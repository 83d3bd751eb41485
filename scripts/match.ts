/**
 * Two-stage matching of patents to catalogue sections from the command line, with the app's own
 * import, encoder, prefilter and Yes/No code: TF-IDF cosine, BM25 and embedding cosine, fused by
 * reciprocal rank (stage 1), then optionally P(Yes) of the Yes/No model for each shortlisted pair
 * (stage 2).
 *
 * usage: npm run match -- --patents FILE --catalogue FILE [--model DIR] [--top K] [--verify]
 *          [--matcher DIR] [--pairs PAIRS.jsonl] [--lexical title|title+text] [--fuse tfidf[,bm25,embedding]]
 *          [--eval] [--rerank pyes|fuse] [--export-batch REQUESTS.jsonl [--batch-model NAME]] [--import-batch OUTPUT.jsonl] --json OUT
 * --export-batch writes the pairs as OpenAI-style batch requests (the seed's prompt, one output
 * token, top logprobs) for OpenAI's Batch API or vLLM's batch runner; --import-batch reads that
 * runner's output file back as P(Yes) per pair (instead of --verify).
 * OUT is JSON lines, one per pair: {"patent","section","prefilter","pYes"?,"score"}. With --pairs
 * (JSON lines of {"patent","section"}) exactly those pairs are scored (prefilter = their cosine).
 * --eval: the patents file is JSON lines with `bref_sections` (the shape of the shared EP data):
 * recall@1/@10/@50 and MRR of the first reference section for BM25, embedding, fusion (and fusion
 * + verify with --verify), printed on stderr. When the matcher's manifest lists `eval_patents` (the
 * patents its recipe held out), --eval matches and evaluates those patents only.
 * --rerank: what a verified pair's "score" is, P(Yes) alone (pyes, the default) or the reciprocal
 * rank fusion of its prefilter rank and its P(Yes) rank within the patent's shortlist (fuse).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CatalogueTextRow } from '../src/core/catalogue/text-reader';
import { patentText } from '../src/core/patent-text';
import { Bm25Index } from '../src/core/prefilter/bm25';
import { crossTopK } from '../src/core/prefilter/cross-topk';
import { rankingQuality, type Ranking } from '../src/core/prefilter/evaluate';
import { DEFAULT_RRF_C, reciprocalRankFusion } from '../src/core/prefilter/fusion';
import { TfidfIndex } from '../src/core/prefilter/tfidf';
import type { Patent } from '../src/core/types';
import { BUNDLED_MODEL_NAME } from '../src/ml/bundled';
import { EncoderEngine } from '../src/ml/encoder';
import { localModelSource } from '../src/ml/local-model';
import { rowCosine } from '../src/ml/shipped-vectors';
import { promptMessages, SEED_YES_NO_PROMPT, YesNoEngine, type YesNoPair } from '../src/ml/yesno';
import { batchRequestLine, customIdOf, parseBatchOutput } from '../src/core/batch/openai-batch';
import { exitWithUsage, parseCli } from './cli-args';
import { readPatents, readSections } from './cli-inputs';

const USAGE = `usage: npm run match -- --patents FILE --catalogue FILE [--model DIR] [--top K] [--verify]
         [--matcher DIR] [--pairs PAIRS.jsonl] [--lexical title|title+text] [--fuse tfidf[,bm25,embedding]]
         [--eval] [--rerank pyes|fuse] [--export-batch REQUESTS.jsonl [--batch-model NAME]] [--import-batch OUTPUT.jsonl] --json OUT`;

const { values } = parseCli({
  patents: { type: 'string' },
  catalogue: { type: 'string' },
  model: { type: 'string', default: `models/${BUNDLED_MODEL_NAME}` },
  matcher: { type: 'string', default: 'models/ps-llama-yesno-tiny' },
  top: { type: 'string', default: '10' },
  verify: { type: 'boolean', default: false },
  pairs: { type: 'string' },
  // Measured on the shared EP patents: BM25 over section titles alone found the reference section
  // more often than over title + text (recall@10 0.506 vs 0.335), the long texts dilute it.
  lexical: { type: 'string', default: 'title' },
  // Which rankings reciprocal rank fusion combines (any of embedding, tfidf, bm25). TF-IDF alone by
  // default: on the shared EP patents (1,256 with a reference section among the 299 with text) it
  // reached recall@10 0.778, fused with BM25 0.695, with BM25 and the bundled encoder (trained on the
  // demo only) 0.647; fusion pays only once every part is strong.
  fuse: { type: 'string', default: 'tfidf' },
  eval: { type: 'boolean', default: false },
  rerank: { type: 'string', default: 'pyes' },
  // For a server-size verifier: the shortlist as an OpenAI-style batch file, and its output back.
  'export-batch': { type: 'string' },
  'batch-model': { type: 'string', default: 'meta-llama/Llama-3.1-8B-Instruct' },
  'import-batch': { type: 'string' },
  json: { type: 'string' },
}, USAGE);

if (!values.patents || !values.catalogue) exitWithUsage(USAGE, 'give --patents FILE and --catalogue FILE');
if (!values.json) exitWithUsage(USAGE, 'give --json OUT');
const top = Number(values.top);
if (!Number.isInteger(top) || top < 1) exitWithUsage(USAGE, `--top must be a whole number ≥ 1, got "${values.top}"`);
if (values.verify && values['import-batch']) exitWithUsage(USAGE, 'give --verify or --import-batch, not both');
if (values.lexical !== 'title' && values.lexical !== 'title+text') exitWithUsage(USAGE, `--lexical must be title or title+text, got "${values.lexical}"`);
const FUSED = values.fuse.split(',').map((m) => m.trim());
if (values.rerank !== 'pyes' && values.rerank !== 'fuse') exitWithUsage(USAGE, `--rerank must be pyes or fuse, got "${values.rerank}"`);
if (FUSED.length === 0 || FUSED.some((m) => !['embedding', 'tfidf', 'bm25'].includes(m))) exitWithUsage(USAGE, `--fuse takes embedding, tfidf and/or bm25, got "${values.fuse}"`);

/** What a section is about, for the encoder and the verifier: its title and text, or its title and path. */
function sectionText(row: CatalogueTextRow): string {
  return [row.title ?? '', row.text ?? row.path?.join(' / ') ?? ''].filter(Boolean).join('. ');
}

/** The patents a matcher's recipe held out (manifest `eval_patents`), or null when it lists none. */
function evalPatentsOf(matcherDir: string): Set<string> | null {
  let manifest: { eval_patents?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(matcherDir, 'manifest.json'), 'utf8')) as { eval_patents?: unknown };
  } catch {
    return null;
  }
  return Array.isArray(manifest.eval_patents) ? new Set(manifest.eval_patents.map(String)) : null;
}

async function main(): Promise<void> {
  let patents = await readPatents(values.patents as string);
  const held = values.eval ? evalPatentsOf(resolve(values.matcher)) : null;
  if (held) {
    // A matcher scored on patents it was trained on would overstate its quality: keep its held-out ones.
    const all = patents.length;
    patents = patents.filter((p) => held.has(p.id));
    console.error(`--eval: restricted to the ${patents.length} of ${all} patents listed in ${join(values.matcher, 'manifest.json')} eval_patents (held out from its training)`);
    if (patents.length === 0) throw new Error(`none of the patents of ${values.patents} is in the matcher's eval_patents`);
  }
  const sections = readSections(values.catalogue as string);
  const modelDir = resolve(values.model);
  const encoder = await EncoderEngine.create({ source: localModelSource(dirname(modelDir), basename(modelDir)), devices: ['cpu'] });
  const [patentVectors, sectionVectors] = [await encoder.embed(patents.map(patentText)), await encoder.embed(sections.map(sectionText))];
  await encoder.destroy();
  const dim = patentVectors.dim;
  console.error(`${patents.length} patents, ${sections.length} sections, vectors of ${values.model} (${dim} dims)`);

  const sectionIndex = new Map(sections.map((s, i) => [s.id, i]));
  const patentIndex = new Map(patents.map((p, i) => [p.id, i]));
  let pairs: { patent: number; section: number; prefilter: number }[];
  let rankings: Record<string, Ranking> = {};
  if (values.pairs) {
    const wanted = readFileSync(values.pairs, 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
      const { patent, section } = JSON.parse(l) as { patent: string; section: string };
      const p = patentIndex.get(patent);
      const s = sectionIndex.get(section);
      if (p === undefined || s === undefined) throw new Error(`${values.pairs}:${i + 1}: unknown ${p === undefined ? `patent ${patent}` : `section ${section}`}`);
      return { patent: p, section: s };
    });
    pairs = wanted.map(({ patent, section }) => ({ patent, section, prefilter: rowCosine(patentVectors.vectors, patent, sectionVectors.vectors, section, dim) }));
  } else {
    const k = Math.max(top, values.eval ? 50 : top);
    const dense = await crossTopK(patentVectors.vectors, patents.length, sectionVectors.vectors, sections.length, dim, { k });
    const lexicalDocs = sections.map((s) => (values.lexical === 'title' ? s.title ?? s.path?.at(-1) ?? '' : sectionText(s)));
    const queries = patents.map(patentText);
    const lexical = new Bm25Index(lexicalDocs).search(queries, k);
    const tfidf = new TfidfIndex(sections.map(sectionText)).search(queries, k);
    const parts: Record<string, Ranking & { scores: Float32Array }> = { embedding: dense.perPatent, tfidf, bm25: lexical };
    const fused = reciprocalRankFusion(FUSED.map((m) => parts[m] as typeof dense.perPatent), { k });
    rankings = { ...parts, [`fusion (${FUSED.join(' + ')})`]: fused };
    pairs = [];
    for (let p = 0; p < patents.length; p++) {
      for (let r = 0; r < top; r++) {
        const section = fused.indices[p * k + r];
        if (section >= 0) pairs.push({ patent: p, section, prefilter: fused.scores[p * k + r] });
      }
    }
  }

  const pairText = ({ patent, section }: { patent: number; section: number }): YesNoPair => ({
    sectionTitle: sections[section].title ?? sections[section].id, technique: sections[section].text ?? sections[section].path?.join(' / ') ?? '',
    patentTitle: patents[patent].title, patentAbstract: patents[patent].abstract ?? '',
  });
  if (values['export-batch']) {
    const requests = pairs.map((pair) => batchRequestLine({ patent: patents[pair.patent].id, section: sections[pair.section].id },
      promptMessages(SEED_YES_NO_PROMPT, pairText(pair)), { model: values['batch-model'] }));
    writeFileSync(values['export-batch'], requests.length > 0 ? `${requests.join('\n')}\n` : '');
    console.error(`wrote ${requests.length} batch requests to ${values['export-batch']}; run them with e.g.\n`
      + `  python -m vllm.entrypoints.openai.run_batch -i ${values['export-batch']} -o OUTPUT.jsonl --model ${values['batch-model']}\n`
      + 'then: npm run match -- … --import-batch OUTPUT.jsonl');
  }
  let pYes: Float32Array | null = null;
  if (values['import-batch']) {
    const output = parseBatchOutput(readFileSync(values['import-batch'], 'utf8'));
    for (const error of output.errors) console.error(`${values['import-batch']}:${error.line}: ${error.reason}`);
    const byPair = new Map(output.results.map((r) => [customIdOf(r.pair), r]));
    pYes = Float32Array.from(pairs, (pair) => byPair.get(customIdOf({ patent: patents[pair.patent].id, section: sections[pair.section].id }))?.pYes ?? Number.NaN);
    const failed = output.results.filter((r) => r.pYes === null);
    const missing = pYes.filter((p) => Number.isNaN(p)).length - failed.length;
    if (failed.length > 0) console.error(`${failed.length} pairs without P(Yes): ${failed[0].reason}`);
    if (missing > 0) console.error(`${missing} pairs of the shortlist are not in ${values['import-batch']}`);
  }
  if (values.verify) {
    const matcherDir = resolve(values.matcher);
    const yesNo = new YesNoEngine();
    await yesNo.load({ source: localModelSource(dirname(matcherDir), basename(matcherDir)), device: 'cpu', dtype: 'q4' });
    pYes = await yesNo.score(pairs.map(pairText));
    await yesNo.destroy();
  }
  const fusedScore = pYes && values.rerank === 'fuse' ? shortlistFusion(patents.length, pairs, pYes) : null;
  const lines = pairs.map((pair, i) => JSON.stringify({
    patent: patents[pair.patent].id, section: sections[pair.section].id, prefilter: round(pair.prefilter),
    ...(pYes ? { pYes: round(pYes[i]) } : {}), score: round(pYes ? (fusedScore ? fusedScore[i] : pYes[i]) : pair.prefilter),
  }));
  writeFileSync(values.json as string, lines.length > 0 ? `${lines.join('\n')}\n` : '');
  console.error(`wrote ${lines.length} pairs to ${values.json}`);
  if (values.eval) evaluate(patents, sectionIndex, rankings, pairs, pYes);
}

function round(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toFixed(6)) : null;
}

/** Recall and MRR of each patent's first reference section (bref_sections in the raw file). */
function evaluate(patents: Patent[], sectionIndex: Map<string, number>, rankings: Record<string, Ranking>, pairs: { patent: number; section: number; prefilter: number }[], pYes: Float32Array | null): void {
  const raw = new Map(readFileSync(values.patents as string, 'utf8').split('\n').filter((l) => l.trim()).map((l) => {
    const row = JSON.parse(l) as { id?: unknown; bref_sections?: unknown };
    return [String(row.id), Array.isArray(row.bref_sections) ? String(row.bref_sections[0] ?? '') : ''] as const;
  }));
  const reference = Int32Array.from(patents, (p) => sectionIndex.get(raw.get(p.id) ?? '') ?? -1);
  const judged = reference.filter((r) => r >= 0).length;
  console.error(`evaluation: ${judged} patents with a reference section in the catalogue`);
  if (pYes) {
    rankings = { ...rankings, 'fusion + verify': verifiedRanking(patents.length, pairs, pYes),
      'fusion + verify, RRF with the prefilter rank': verifiedRanking(patents.length, pairs, shortlistFusion(patents.length, pairs, pYes)) };
  }
  for (const [name, ranking] of Object.entries(rankings)) {
    const q = rankingQuality(ranking, reference, [1, 10, 50]);
    console.error(`  ${name.padEnd(16)} ${JSON.stringify(q)}`);
  }
}

/**
 * Per patent, RRF of each verified pair's prefilter rank and its P(Yes) rank within the patent's
 * shortlist (both 1-based, ties to the better prefilter rank); NaN P(Yes) ranks last.
 */
function shortlistFusion(rows: number, pairs: { patent: number; prefilter: number }[], pYes: Float32Array): Float32Array {
  const lists: number[][] = Array.from({ length: rows }, () => []);
  pairs.forEach((pair, i) => lists[pair.patent].push(i));
  const out = new Float32Array(pairs.length);
  const p = (i: number) => (Number.isFinite(pYes[i]) ? pYes[i] : -1);
  for (const list of lists) {
    const byPrefilter = [...list].sort((a, b) => pairs[b].prefilter - pairs[a].prefilter || a - b);
    const prefilterRank = new Map(byPrefilter.map((i, r) => [i, r + 1]));
    const byYes = [...byPrefilter].sort((a, b) => p(b) - p(a) || (prefilterRank.get(a) as number) - (prefilterRank.get(b) as number));
    byYes.forEach((i, r) => { out[i] = 1 / (DEFAULT_RRF_C + (prefilterRank.get(i) as number)) + 1 / (DEFAULT_RRF_C + r + 1); });
  }
  return out;
}

/** The shortlist re-ranked by a score (P(Yes), or its fusion) within each patent (only the top-K pairs were verified). */
function verifiedRanking(rows: number, pairs: { patent: number; section: number }[], pYes: Float32Array): Ranking {
  const lists: { section: number; p: number }[][] = Array.from({ length: rows }, () => []);
  pairs.forEach((pair, i) => lists[pair.patent].push({ section: pair.section, p: Number.isFinite(pYes[i]) ? pYes[i] : -1 }));
  const k = Math.max(1, ...lists.map((l) => l.length));
  const indices = new Int32Array(rows * k).fill(-1);
  lists.forEach((list, row) => list.sort((a, b) => b.p - a.p || a.section - b.section).forEach((e, r) => { indices[row * k + r] = e.section; }));
  return { rows, k, indices };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
