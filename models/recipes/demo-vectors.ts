/**
 * Writes the vectors shipped with the bundled demo corpus (public/demo/vectors/<model>.json + .bin)
 * with the app's own import and encoder code, on onnxruntime-node's CPU backend:
 *
 *   npx tsx models/recipes/demo-vectors.ts [--model ps-techtoken-tiny] [--corpus public/demo/patents.jsonl]
 *
 * Rerun it whenever the demo corpus or the bundled model changes (`npm run demo-data`, a model
 * recipe): the app checks the model's sha256 and the corpus fingerprint recorded here, and also
 * recomputes a random sample in the browser, so stale vectors are never used, only slower to replace.
 */
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { patentText } from '../../src/core/patent-text';
import { detectSources, importSources } from '../../src/core/ingest/engine';
import { MemorySink } from '../../src/core/ingest/memory-sink';
import { EncoderEngine } from '../../src/ml/encoder';
import { localModelSource } from '../../src/ml/local-model';
import { corpusFingerprint, SHIPPED_VECTORS_FORMAT, VECTOR_MODEL_FILES, type ShippedVectorsManifest } from '../../src/ml/shipped-vectors';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const modelName = option('model', 'ps-techtoken-tiny');
const corpus = option('corpus', 'public/demo/patents.jsonl');
const outDir = option('out', 'public/demo/vectors');

// The browser imports the demo through the same core code, and reads the patents back in id order.
const [detected] = await detectSources([{
  name: basename(corpus), bytes: statSync(corpus).size,
  stream: () => Readable.toWeb(createReadStream(corpus)) as ReadableStream<Uint8Array>,
}]);
if (!detected.detected) throw new Error(`${corpus}: ${detected.error}`);
const sink = new MemorySink();
await importSources([{ source: detected.source, detected: detected.detected }], sink, {});
const patents = [...sink.patents.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const modelManifest = JSON.parse(readFileSync(join('models', modelName, 'manifest.json'), 'utf8')) as { files: Record<string, { sha256: string }> };
const engine = await EncoderEngine.create({ source: localModelSource('models', modelName), devices: ['cpu'], dtype: 'fp32' });
const info = engine.info();
if (!info) throw new Error(`${modelName} did not load`);
const embedded = await engine.embed(patents.map(patentText));
const vocabulary = engine.codeTokens(patents.flatMap((p) => p.codes));
const states = vocabulary ? await engine.codeTokenStates(patents, vocabulary) : null;
await engine.destroy();

const manifest: ShippedVectorsManifest = {
  format: SHIPPED_VECTORS_FORMAT,
  model: `bundled:${modelName}`,
  dtype: 'fp32',
  modelFiles: Object.fromEntries(VECTOR_MODEL_FILES.flatMap((f) => (modelManifest.files[f] ? [[f, modelManifest.files[f].sha256]] : []))),
  corpus: { file: corpus, patents: patents.length, fingerprint: await corpusFingerprint(patents) },
  dim: embedded.dim,
  binary: `${modelName}.bin`,
  patentIds: patents.map((p) => p.id),
  codeStates: states && vocabulary ? { level: vocabulary.level, patents: Array.from(states.patents), codes: states.codes } : null,
  generatedWith: `npx tsx models/recipes/demo-vectors.ts --model ${modelName} --corpus ${corpus}`,
  backend: 'onnxruntime-node (CPU), fp32, src/ml/encoder.ts',
};
const rows = new Float32Array(embedded.vectors.length + (states?.vectors.length ?? 0));
rows.set(embedded.vectors);
if (states) rows.set(states.vectors, embedded.vectors.length);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, manifest.binary), new Uint8Array(rows.buffer));
writeFileSync(join(outDir, `${modelName}.json`), JSON.stringify(manifest) + '\n');
console.log(`wrote ${outDir}/${modelName}.{json,bin}: ${patents.length} patent vectors, ${states?.codes.length ?? 0} code-token states, dim ${embedded.dim}, ${(rows.byteLength / 1e6).toFixed(2)} MB`);
