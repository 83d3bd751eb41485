/**
 * Writes the bundled demo corpus (public/demo/) from the seeded generator: patents.jsonl,
 * ground-truth.json, and the pollution-abatement technique catalogue (techniques.json) with the
 * relevant patent ids of each technique (technique-relevance.json).
 * usage: npm run demo-data -- [--patents N] [--seed S] [--out DIR]
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
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
// In chunks: one string of every line would pass V8's string limit (~512 MB) near 1.7 million patents.
const jsonl = openSync(join(outDir, 'patents.jsonl'), 'w');
for (let start = 0; start < corpus.patents.length; start += 10_000) {
  writeSync(jsonl, corpus.patents.slice(start, start + 10_000).map((p) => `${JSON.stringify(p)}\n`).join(''));
}
closeSync(jsonl);
writeFileSync(join(outDir, 'ground-truth.json'), JSON.stringify(corpus.truth, null, 1) + '\n');
const techniques = generateTechniques(corpus);
const { relevance, ...catalogue } = techniques;
writeFileSync(join(outDir, 'techniques.json'), JSON.stringify(catalogue, null, 1) + '\n');
writeFileSync(join(outDir, 'technique-relevance.json'), JSON.stringify(relevance, null, 1) + '\n');
const pairs = techniques.techniques.length * corpus.patents.length;
const relevant = Object.values(relevance).reduce((s, ids) => s + ids.length, 0);
console.log(`wrote ${techniques.techniques.length} techniques, ${relevant} of ${pairs} (technique, patent) pairs relevant (radius ${techniques.radius.toFixed(3)})`);
console.log(`wrote ${corpus.patents.length} patents, ${corpus.truth.subclasses.length} subclasses, ${corpus.truth.mainGroups.length} main groups to ${outDir}`);
