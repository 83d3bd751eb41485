import type { Catalogue } from '../catalogue/catalogue';
import type { SdgImpacts } from '../reference/sdg';
import { bundledJobSections } from '../match-job/job-sections';
import { buildShortlist } from '../match-job/shortlist';
import { patentText } from '../patent-text';
import type { Patent } from '../types';
import { DEFAULT_DEMO_OPTIONS, generateDemoCorpus, type DemoOptions } from './generate';
import { DEFAULT_POLLUTION_OPTIONS, generatePollution, type PollutionOptions } from './pollution';
import { generateTechniques } from './techniques';

/**
 * The bundled demo's files (public/demo/) as strings, from the seeded generators and the bundled
 * reference data: patents.jsonl (the technology corpus, then the pollution patents tied to real
 * BREF sections), ground-truth.json, techniques.json (the demo's own techniques, then the tied
 * sections) and technique-relevance.json. One function, so the script writes and the tests check
 * the very same bytes.
 */
export interface DemoFiles {
  /** Lines of patents.jsonl (each with its newline), in chunks: one string of millions of lines would pass V8's limit. */
  patentChunks: string[];
  groundTruth: string;
  techniques: string;
  relevance: string;
  summary: { patents: number; pollutionPatents: number; techniques: number; sections: number; relevantPairs: number; pairs: number; radius: number; subclasses: number; mainGroups: number };
}

export function buildDemoFiles(catalogue: Catalogue, sdg: SdgImpacts, demo: Partial<DemoOptions> = {}, pollutionOptions: Partial<PollutionOptions> = {}): DemoFiles {
  const corpus = generateDemoCorpus({ ...DEFAULT_DEMO_OPTIONS, ...demo });
  const withSdg = new Set(catalogue.pollutants.filter((p) => sdg.ofCataloguePollutant(p.index)).map((p) => p.index));
  const pollution = generatePollution(corpus, catalogue, withSdg, { ...DEFAULT_POLLUTION_OPTIONS, ...pollutionOptions });
  const patents = [...corpus.patents, ...pollution.patents];
  const patentChunks: string[] = [];
  for (let start = 0; start < patents.length; start += 10_000) {
    patentChunks.push(patents.slice(start, start + 10_000).map((p) => `${JSON.stringify(p)}\n`).join(''));
  }
  // The demo's own techniques are judged on the technology corpus; the pollution patents are
  // relevant to the BREF section they were written for and to nothing else.
  const techniques = generateTechniques(corpus);
  const { relevance: ownRelevance, ...own } = techniques;
  const relevance = { ...ownRelevance, ...pollution.relevance };
  const allTechniques = [...own.techniques, ...pollution.techniques];
  return {
    patentChunks,
    groundTruth: JSON.stringify({ ...corpus.truth, pollution: pollution.relevance }, null, 1) + '\n',
    techniques: JSON.stringify({ ...own, techniques: allTechniques, ...decoys(catalogue, pollution.patents, pollution.relevance) }, null, 1) + '\n',
    relevance: JSON.stringify(relevance, null, 1) + '\n',
    summary: {
      patents: patents.length, pollutionPatents: pollution.patents.length,
      techniques: own.techniques.length, sections: pollution.techniques.length,
      relevantPairs: Object.values(relevance).reduce((s, ids) => s + ids.length, 0),
      pairs: allTechniques.length * patents.length, radius: techniques.radius,
      subclasses: corpus.truth.subclasses.length, mainGroups: corpus.truth.mainGroups.length,
    },
  };
}

/** How many of a pollution patent's TF-IDF best BREF sections, besides its own, are kept as decoys. */
const DECOYS_PER_PATENT = 3;

/**
 * The sections a demo job's TF-IDF shortlist puts beside each pollution patent's own section (the
 * app's own shortlist code, over the bundled technique sections matched on their headings): what
 * the Yes/No model must answer No to. The recipe trains on them as negatives for the training
 * patents only (models/LLAMA.md); the app ignores them.
 */
function decoys(catalogue: Catalogue, patents: readonly Patent[], relevance: Readonly<Record<string, readonly string[]>>) {
  const sections = bundledJobSections(catalogue.sections, new Map(), 'techniques');
  const own = new Map(Object.entries(relevance).flatMap(([section, ids]) => ids.map((id) => [id, section] as const)));
  const shortlist = buildShortlist({ patentTexts: patents.map(patentText), sections, method: 'tfidf', k: DECOYS_PER_PATENT + 1, sectionK: 0 });
  const decoysOf: Record<string, string[]> = {};
  const used = new Set<number>();
  for (let i = 0; i < shortlist.patent.length; i++) {
    const patent = patents[shortlist.patent[i]].id;
    const section = sections[shortlist.section[i]];
    const list = (decoysOf[patent] ??= []);
    if (section.id === own.get(patent) || list.length >= DECOYS_PER_PATENT) continue;
    list.push(section.id);
    used.add(shortlist.section[i]);
  }
  const decoySections = [...used].sort((a, b) => a - b).map((s) => ({ id: sections[s].id, sectionTitle: sections[s].title, description: sections[s].text }));
  return { decoySections, decoys: decoysOf };
}
