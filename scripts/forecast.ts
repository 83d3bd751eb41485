/**
 * Technology forecasting from the command line: do codes close in embedding space get combined
 * on future patents more often than chance? Same import, encoder and forecast code as the app.
 *
 * usage: npm run forecast -- --data FILE [--data FILE …] [--level subclass|main_group|subgroup]
 *          [--windows 1980-2005,2006-2010,2011-2015] [--model models/ps-techtoken-tiny[,DIR…]]
 *          [--method all|mean-of-patents|techtoken|text-tfidf|hybrid[,…]] [--label above-null|at-least-once]
 *          [--min-z Z] [--max-p P] [--no-embeddings] [--top N] [--json OUT]
 * Windows default to the seed's scaled to the data's years (docs/forecasting.md). text-tfidf and
 * hybrid need no model; `all` runs every method the models allow plus both. The hybrid is fitted
 * on the windows shifted back by the scoring window's length (its model methods embed that
 * backtest's embedding window too).
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { meanOfPatentVectors } from '../src/core/code-vectors';
import type { CodeEmbedding } from '../src/core/forecast/candidate-cosine';
import { fastCpuCosineBlock } from '../src/core/fast-cosine/wasm-cosine';
import { runForecast, type ForecastReport } from '../src/core/forecast/forecast';
import { backtestWindows } from '../src/core/forecast/hybrid';
import type { LabelRule } from '../src/core/forecast/null-model';
import { formatWindows, inRange, parseWindows, scaledDefaultWindows, trainingLeak } from '../src/core/forecast/windows';
import { detectSources, importSources, type ImportSource } from '../src/core/ingest/engine';
import { MemorySink } from '../src/core/ingest/memory-sink';
import { patentText } from '../src/core/patent-text';
import type { CodeLevel, Patent } from '../src/core/types';
import { EncoderEngine } from '../src/ml/encoder';
import { BUNDLED_MODEL_NAME } from '../src/ml/bundled';
import { localModelSource } from '../src/ml/local-model';
import { exitWithUsage, parseCli } from './cli-args';

const USAGE = `usage: npm run forecast -- --data FILE [--data FILE …] [--level subclass|main_group|subgroup]
         [--windows 1980-2005,2006-2010,2011-2015] [--model models/${BUNDLED_MODEL_NAME}[,DIR…]]
         [--method all|mean-of-patents|techtoken|text-tfidf|hybrid[,…]] [--label above-null|at-least-once]
         [--min-z Z] [--max-p P] [--no-embeddings] [--top N] [--json OUT]`;

const { values } = parseCli({
    data: { type: 'string', multiple: true },
    level: { type: 'string', default: 'subclass' },
    windows: { type: 'string' },
    // The app's default model, so the CLI and the Forecast view agree out of the box.
    model: { type: 'string', default: `models/${BUNDLED_MODEL_NAME}` },
    method: { type: 'string', default: 'mean-of-patents' },
    label: { type: 'string', default: 'above-null' },
    'min-z': { type: 'string' },
    'max-p': { type: 'string' },
    'no-embeddings': { type: 'boolean', default: false },
    top: { type: 'string', default: '10' },
    json: { type: 'string' },
}, USAGE);

if (!values.data || values.data.length === 0) exitWithUsage(USAGE, 'give at least one --data FILE');
if (!['subclass', 'main_group', 'subgroup'].includes(values.level)) exitWithUsage(USAGE, `unknown level "${values.level}"`);
const MODEL_METHODS = ['mean-of-patents', 'techtoken'];
const requested = values.method.split(',').flatMap((m) => (m === 'all' ? [...MODEL_METHODS, 'text-tfidf', 'hybrid'] : [m]));
for (const m of requested) if (![...MODEL_METHODS, 'text-tfidf', 'hybrid'].includes(m)) exitWithUsage(USAGE, `unknown method "${m}"`);
const modelMethods = requested.filter((m) => MODEL_METHODS.includes(m));
const useModels = !values['no-embeddings'] && modelMethods.length > 0;
const wantsHybrid = requested.includes('hybrid');
if (!['above-null', 'at-least-once'].includes(values.label)) exitWithUsage(USAGE, `unknown label rule "${values.label}"`);
const level = values.level as CodeLevel;
const labels: LabelRule = values.label === 'at-least-once'
  ? { mode: 'at-least-once' }
  : {
    mode: 'above-null',
    ...(values['min-z'] ? { minZ: Number(values['min-z']) } : {}),
    ...(values['max-p'] ? { maxP: Number(values['max-p']) } : {}),
  };

const patents = await readPatents(values.data);
const years = patents.map((p) => p.year).filter((y) => Number.isFinite(y));
const windows = (() => {
  try {
    return values.windows ? parseWindows(values.windows) : scaledDefaultWindows(Math.min(...years), Math.max(...years));
  } catch (error) {
    return exitWithUsage(USAGE, error instanceof Error ? error.message : String(error));
  }
})();
console.error(`${patents.length} patents ${Math.min(...years)}–${Math.max(...years)}; level ${level}; windows ${formatWindows(windows)}`);

const embeddings: Record<string, CodeEmbedding> = {};
const backtestEmbeddings: Record<string, CodeEmbedding> = {};
const warnings: string[] = [];
if (useModels) {
  const backtest = backtestWindows(windows);
  const embedPatents = patents.filter((p) => inRange(p.year, windows.embed));
  const backtestPatents = patents.filter((p) => inRange(p.year, backtest.embed));
  for (const modelPath of values.model.split(',')) {
    const started = performance.now();
    const untilYear = readUntilYear(modelPath);
    const leak = trainingLeak(untilYear, windows, basename(modelPath));
    // A model that saw the backtest's scoring years makes its own cosine look better in the fit.
    const fitLeak = wantsHybrid && !leak ? trainingLeak(untilYear, backtest, basename(modelPath)) : null;
    for (const text of [leak, fitLeak && `(hybrid fit) ${fitLeak}`]) {
      if (!text) continue;
      warnings.push(text);
      console.error(`warning: ${text}`);
    }
    const encoder = await EncoderEngine.create({ source: localModelSource(dirname(resolve(modelPath)), basename(modelPath)), devices: ['cpu'] });
    try {
      for (const method of modelMethods) {
        const name = `${method}:${basename(modelPath)}`;
        if (method === 'mean-of-patents') {
          const embed = async (list: Patent[]) => {
            const { vectors, dim } = await encoder.embed(list.map(patentText));
            return meanOfPatentVectors(list, vectors, dim, level);
          };
          embeddings[name] = await embed(embedPatents);
          if (wantsHybrid) backtestEmbeddings[name] = await embed(backtestPatents);
        } else {
          const vocabulary = encoder.codeTokens(embedPatents.flatMap((p) => p.codes), level);
          if (!vocabulary) {
            console.error(`${name}: skipped, the model has no code tokens at ${level} level for this data`);
            continue;
          }
          embeddings[name] = await encoder.embedCodeTokens(embedPatents, vocabulary);
          if (wantsHybrid) backtestEmbeddings[name] = await encoder.embedCodeTokens(backtestPatents, vocabulary);
        }
        console.error(`${name}: ${embeddings[name]?.codes.length ?? 0} code vectors from ${embedPatents.length} patents (${((performance.now() - started) / 1000).toFixed(1)} s)`);
      }
    } finally {
      await encoder.destroy();
    }
  }
}

const started = performance.now();
// WebAssembly SIMD cosines where they validate (the JS twin otherwise): the same scores to ~1e-7.
const report: ForecastReport & { warnings?: string[] } = await runForecast({
  patents, level, windows, labels, embeddings, topN: Number(values.top),
  textTfidf: requested.includes('text-tfidf') || wantsHybrid,
  ...(wantsHybrid ? { hybrid: { backtestEmbeddings } } : {}),
}, { cosineBlock: fastCpuCosineBlock() });
if (warnings.length) report.warnings = warnings;
console.error(`forecast in ${((performance.now() - started) / 1000).toFixed(1)} s`);
printReport(report);
if (values.json) {
  mkdirSync(dirname(resolve(values.json)), { recursive: true });
  writeFileSync(values.json, `${JSON.stringify(report, null, 1)}\n`);
  console.error(`wrote ${values.json}`);
}

/** The last training year a model's manifest states (null: unstated or no manifest). */
function readUntilYear(modelPath: string): number | null {
  const manifestPath = resolve(modelPath, 'manifest.json');
  if (!existsSync(manifestPath)) return null;
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { until_year?: number | null; training?: { until_year?: number | null } };
  return manifest.until_year ?? manifest.training?.until_year ?? null;
}

async function readPatents(files: string[]): Promise<Patent[]> {
  const sources: ImportSource[] = files.map((path) => ({
    name: basename(path),
    bytes: statSync(path).size,
    stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
  }));
  const detected = await detectSources(sources);
  const planned = detected.flatMap((d) => {
    if (!d.detected) throw new Error(`${d.source.name}: ${d.error}`);
    return [{ source: d.source, detected: d.detected }];
  });
  const sink = new MemorySink();
  await importSources(planned, sink, {});
  return [...sink.patents.values()];
}

function printReport(r: ForecastReport): void {
  const c = r.counts;
  console.log(`level ${r.level} · windows learn ${r.windows.learn}, embed ${r.windows.embed}, score ${r.windows.score} · labels ${JSON.stringify(r.labels)}`);
  console.log(`patents: learn ${c.patents.learn}, embed ${c.patents.embed}, score ${c.patents.score} · codes ${c.codes}, in embed window ${c.embedCodes} · known pairs ${c.knownPairs} · candidates ${c.candidates}`);
  console.log(`positives ${r.balance.positives} of ${r.balance.pairs} (${(100 * r.balance.positiveShare).toFixed(2)} %)`);
  const ks = r.methods[0]?.precisionAtK.map((p) => `P@${p.k}`) ?? [];
  console.log(['method'.padEnd(36), 'AUC  ', '95 % CI        ', ...ks.map((k) => k.padStart(7))].join(' '));
  for (const m of r.methods) {
    const ci = `[${m.ci.low.toFixed(3)}, ${m.ci.high.toFixed(3)}]`;
    const missing = m.missingPairs ? ` (${m.missingPairs} pairs without vector)` : '';
    console.log([m.method.padEnd(36), m.auc.toFixed(3), ci.padEnd(15), ...m.precisionAtK.map((p) => p.precision.toFixed(3).padStart(7))].join(' ') + missing);
  }
  for (const d of r.paired) console.log(`paired (resampling codes): ${d.a} − ${d.b} = ${d.difference.toFixed(3)} [${d.low.toFixed(3)}, ${d.high.toFixed(3)}]`);
  if (r.hybrid) {
    const h = r.hybrid;
    console.log(`hybrid fitted on learn ${h.windows.learn}, embed ${h.windows.embed}, score ${h.windows.score} (patents of ${h.yearsRead.first}–${h.yearsRead.last}; ${h.positives} positives of ${h.pairs} pairs)`);
    console.log(`  standardised coefficients: ${h.coefficients.map((c) => `${c.feature} ${c.coefficient.toFixed(3)}`).join(', ')}`);
    if (h.excluded.length) console.log(`  left out (no backtest vectors): ${h.excluded.join(', ')}`);
  }
  if (r.hybridSkipped) console.log(`hybrid skipped: ${r.hybridSkipped}`);
  const best = [...r.methods].sort((a, b) => b.auc - a.auc)[0];
  if (best) {
    console.log(`top predicted new combinations by ${best.method}:`);
    for (const p of best.top) {
      console.log(`  ${String(p.rank).padStart(3)}. ${p.codes.join(' + ').padEnd(28)} ${p.score.toFixed(4)} ${p.cameTrue ? `came true (${p.observed}×)` : p.observed > 0 ? `seen ${p.observed}× (not above null)` : ''}`);
      if (p.features) console.log(`       ${Object.entries(p.features).map(([name, value]) => `${name} ${value.toFixed(3)}`).join(', ')}`);
    }
  }
}
