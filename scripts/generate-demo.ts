/**
 * Writes the bundled demo corpus (public/demo/) from the seeded generator: patents.jsonl,
 * ground-truth.json, and the pollution-abatement technique catalogue (techniques.json) with the
 * relevant patent ids of each technique (technique-relevance.json).
 * usage: npm run demo-data -- [--patents N] [--seed S] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEMO_OPTIONS, generateDemoCorpus } from '../src/core/demo/generate';
import { generateTechniques } from '../src/core/demo/techniques';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const outDir = argument('out') ?? 'public/demo';
const corpus = generateDemoCorpus({
  patents: Number(argument('patents') ?? DEFAULT_DEMO_OPTIONS.patents),
  seed: Number(argument('seed') ?? DEFAULT_DEMO_OPTIONS.seed),
});
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'patents.jsonl'), corpus.patents.map((p) => JSON.stringify(p)).join('\n') + '\n');
writeFileSync(join(outDir, 'ground-truth.json'), JSON.stringify(corpus.truth, null, 1) + '\n');
const techniques = generateTechniques(corpus);
const { relevance, ...catalogue } = techniques;
writeFileSync(join(outDir, 'techniques.json'), JSON.stringify(catalogue, null, 1) + '\n');
writeFileSync(join(outDir, 'technique-relevance.json'), JSON.stringify(relevance, null, 1) + '\n');
const pairs = techniques.techniques.length * corpus.patents.length;
const relevant = Object.values(relevance).reduce((s, ids) => s + ids.length, 0);
console.log(`wrote ${techniques.techniques.length} techniques, ${relevant} of ${pairs} (technique, patent) pairs relevant (radius ${techniques.radius.toFixed(3)})`);
console.log(`wrote ${corpus.patents.length} patents, ${corpus.truth.subclasses.length} subclasses, ${corpus.truth.mainGroups.length} main groups to ${outDir}`);
