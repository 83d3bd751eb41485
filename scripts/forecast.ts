/**
 * Technology forecasting from the command line: do codes close in embedding space get combined
 * on future patents more often than chance? Same import, encoder and forecast code as the app.
 *
 * usage: npm run forecast -- --data FILE [--data FILE …] [--level subclass|main_group|subgroup]
 *          [--windows 1980-2005,2006-2010,2011-2015] [--model models/ps-techtoken-tiny[,DIR…]]
 *          [--method mean-of-patents|techtoken[,…]] [--label above-null|at-least-once]
 *          [--min-z Z] [--max-p P] [--no-embeddings] [--top N] [--json OUT]
 * Windows default to the seed's scaled to the data's years (docs/forecasting.md).
 */
import { createReadStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { meanOfPatentVectors } from '../src/core/code-vectors';
import type { CodeEmbedding } from '../src/core/forecast/candidate-cosine';
import { fastCpuCosineBlock } from '../src/core/fast-cosine/wasm-cosine';
import { runForecast, type ForecastReport } from '../src/core/forecast/forecast';
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
         [--method mean-of-patents|techtoken[,…]] [--label above-null|at-least-once]
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
if (!values['no-embeddings']) {
  const embedPatents = patents.filter((p) => inRange(p.year, windows.embed));
  for (const modelPath of values.model.split(',')) {
    const started = performance.now();
    const leak = trainingLeak(readUntilYear(modelPath), windows, basename(modelPath));
    if (leak) console.error(`warning: ${leak}`);
    const encoder = await EncoderEngine.create({ source: localModelSource(dirname(resolve(modelPath)), basename(modelPath)), devices: ['cpu'] });
    try {
      for (const method of values.method.split(',')) {
        const name = `${method}:${basename(modelPath)}`;
        if (method === 'mean-of-patents') {
          const { vectors, dim } = await encoder.embed(embedPatents.map(patentText));
          embeddings[name] = meanOfPatentVectors(embedPatents, vectors, dim, level);
        } else if (method === 'techtoken') {
          const vocabulary = encoder.codeTokens(embedPatents.flatMap((p) => p.codes));
          if (!vocabulary || vocabulary.level !== level) {
            console.error(`${name}: skipped, the model has no code tokens at ${level} level for this data`);
            continue;
          }
          embeddings[name] = await encoder.embedCodeTokens(embedPatents, vocabulary);
        } else {
          throw new Error(`unknown method ${method}`);
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
const report = await runForecast({ patents, level, windows, labels, embeddings, topN: Number(values.top) }, { cosineBlock: fastCpuCosineBlock() });
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
  const best = [...r.methods].sort((a, b) => b.auc - a.auc)[0];
  if (best) {
    console.log(`top predicted new combinations by ${best.method}:`);
    for (const p of best.top) console.log(`  ${String(p.rank).padStart(3)}. ${p.codes.join(' + ').padEnd(28)} ${p.score.toFixed(4)} ${p.cameTrue ? `came true (${p.observed}×)` : p.observed > 0 ? `seen ${p.observed}× (not above null)` : ''}`);
  }
}
