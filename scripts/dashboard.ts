/**
 * The pollution dashboard's pollutant ranking from the command line, with the app's own code
 * (src/core/dashboard) and bundled reference data: from the pairs `npm run match` wrote, and/or
 * from the sections a reference matching gave each patent (`bref_sections` of the shared EP
 * patents, each counted as a match), so the two rankings can be put side by side.
 *
 * usage: npm run dashboard -- [--pairs MATCHED.jsonl] [--reference PATENTS.jsonl] [--relevance 0.5] [--top 10] [--json OUT]
 * MATCHED.jsonl: lines {"patent","section","prefilter","pYes"?}; a file without pYes counts the
 * prefilter score (a job that was not verified).
 */
import { writeFileSync } from 'node:fs';
import { Dashboard, matchTableFromPairs } from '../src/core/dashboard/dashboard';
import { exitWithUsage, parseCli } from './cli-args';
import { bundledReference, readJsonLines, readMatchedPairs } from './cli-inputs';

const USAGE = 'usage: npm run dashboard -- [--pairs MATCHED.jsonl] [--reference PATENTS.jsonl] [--relevance 0.5] [--top 10] [--json OUT]';
const { values } = parseCli({
  pairs: { type: 'string' },
  reference: { type: 'string' },
  relevance: { type: 'string', default: '0.5' },
  top: { type: 'string', default: '10' },
  json: { type: 'string' },
}, USAGE);
if (!values.pairs && !values.reference) exitWithUsage(USAGE, 'give --pairs and/or --reference');
const relevance = Number(values.relevance);
const top = Number(values.top);
if (!(relevance >= 0 && relevance <= 1)) exitWithUsage(USAGE, `--relevance must be between 0 and 1, got "${values.relevance}"`);
if (!Number.isInteger(top) || top < 1) exitWithUsage(USAGE, `--top must be a whole number ≥ 1, got "${values.top}"`);

const { catalogue, sdg } = bundledReference();

interface Pair { patentId: string; sectionId: string; prefilter: number; pYes: number | null }

function ranking(name: string, pairs: Pair[], verified: boolean) {
  const table = matchTableFromPairs(catalogue, pairs, { fallbackToPrefilter: !verified });
  const dashboard = new Dashboard(table, sdg, { relevance, display: relevance });
  const rows = dashboard.pollutants();
  const patents = dashboard.counts().patents;
  const abated = rows.filter((r) => r.patents > 0).length;
  console.error(`${name}: ${table.patentCount} patents with pairs in the catalogue, ${patents} matched at ≥ ${relevance}, ${abated} of ${rows.length} pollutants abated${table.skipped.count ? `; ${table.skipped.count} pairs outside the catalogue` : ''}`);
  rows.slice(0, top).forEach((r, i) => console.error(`  ${String(i + 1).padStart(2)}. ${r.pollutant.name} — ${r.patents} patents`));
  return { name, patents: table.patentCount, matchedPatents: patents, pollutantsAbated: abated, top: rows.slice(0, top).map((r) => ({ pollutant: r.pollutant.name, patents: r.patents })), all: rows.map((r) => ({ pollutant: r.pollutant.name, patents: r.patents })) };
}

try {
  const out: Record<string, unknown> = { relevance };
  if (values.pairs) {
    const pairs = readMatchedPairs(values.pairs);
    out.matched = ranking(`matched (${values.pairs})`, pairs, pairs.some((p) => p.pYes !== null));
  }
  if (values.reference) {
    const pairs = readJsonLines(values.reference).flatMap((l) => (Array.isArray(l.bref_sections) ? l.bref_sections : []).map((s) => ({ patentId: String(l.id), sectionId: String(s), prefilter: 1, pYes: 1 })));
    out.reference = ranking(`reference (${values.reference}, bref_sections as matches)`, pairs, true);
  }
  if (values.json) writeFileSync(values.json, `${JSON.stringify(out, null, 1)}\n`);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
