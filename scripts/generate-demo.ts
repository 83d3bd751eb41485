/**
 * Writes the bundled demo corpus (public/demo/) from the seeded generator (src/core/demo/files.ts):
 * patents.jsonl (the technology corpus, then the pollution-abatement patents tied to real sections
 * of the bundled BREF catalogue), ground-truth.json, and the technique catalogue (techniques.json:
 * the demo's own techniques, then the tied BREF sections) with the relevant patent ids of each
 * technique (technique-relevance.json). Reads only bundled reference data (public/catalogue,
 * public/reference); test/core/demo checks that the committed files are what this writes.
 * usage: npm run demo-data -- [--patents N] [--seed S] [--pollution-sections N] [--out DIR]
 */
import { closeSync, mkdirSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseCatalogue } from '../src/core/catalogue/decode';
import { DEFAULT_DEMO_OPTIONS } from '../src/core/demo/generate';
import { buildDemoFiles } from '../src/core/demo/files';
import { DEFAULT_POLLUTION_OPTIONS } from '../src/core/demo/pollution';
import { parseSdgImpacts } from '../src/core/reference/sdg';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

const outDir = argument('out') ?? 'public/demo';
const catalogue = parseCatalogue(readFileSync('public/catalogue/bref-catalogue.json', 'utf8'));
const sdg = parseSdgImpacts(readFileSync('public/reference/sdg-impacts.json', 'utf8'));
const files = buildDemoFiles(catalogue, sdg, {
  patents: Number(argument('patents') ?? DEFAULT_DEMO_OPTIONS.patents),
  seed: Number(argument('seed') ?? DEFAULT_DEMO_OPTIONS.seed),
}, { sections: Number(argument('pollution-sections') ?? DEFAULT_POLLUTION_OPTIONS.sections) });
mkdirSync(outDir, { recursive: true });
const jsonl = openSync(join(outDir, 'patents.jsonl'), 'w');
for (const chunk of files.patentChunks) writeSync(jsonl, chunk);
closeSync(jsonl);
writeFileSync(join(outDir, 'ground-truth.json'), files.groundTruth);
writeFileSync(join(outDir, 'techniques.json'), files.techniques);
writeFileSync(join(outDir, 'technique-relevance.json'), files.relevance);
const s = files.summary;
console.log(`wrote ${s.techniques} demo techniques and ${s.sections} BREF sections with ${s.pollutionPatents} pollution patents, ${s.relevantPairs} of ${s.pairs} (technique, patent) pairs relevant (radius ${s.radius.toFixed(3)})`);
console.log(`wrote ${s.patents} patents, ${s.subclasses} subclasses, ${s.mainGroups} main groups to ${outDir}`);
