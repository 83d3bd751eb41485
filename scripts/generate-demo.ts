/**
 * Writes the bundled demo corpus (public/demo/) from the seeded generator.
 * usage: npm run demo-data -- [--patents N] [--seed S] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_DEMO_OPTIONS, generateDemoCorpus } from '../src/core/demo/generate';

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
console.log(`wrote ${corpus.patents.length} patents, ${corpus.truth.subclasses.length} subclasses, ${corpus.truth.mainGroups.length} main groups to ${outDir}`);
