// Copies what the app serves itself into public/ (git-ignored): the ONNX Runtime wasm files that
// transformers.js's own onnxruntime-web expects (never a CDN) and the bundled models.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
// The package exports no ./package.json; its main entry sits in dist/, one level below the package root.
const transformersDir = dirname(dirname(require.resolve('@huggingface/transformers')));
// Node's lookup order: a copy nested under transformers.js wins over the hoisted one.
const ortRoot = [join(transformersDir, 'node_modules/onnxruntime-web'), 'node_modules/onnxruntime-web'].find(existsSync);
if (!ortRoot) throw new Error('onnxruntime-web is not installed: run npm ci');
const ortPackage = join(ortRoot, 'package.json');
const ortDist = join(ortRoot, 'dist');
const ortVersion = JSON.parse(readFileSync(ortPackage, 'utf8')).version;

mkdirSync('public/ort', { recursive: true });
for (const file of ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm']) {
  cpSync(join(ortDist, file), join('public/ort', file));
}

const bundledModels = ['ps-encoder-tiny', 'ps-techtoken-tiny', 'ps-llama-yesno-tiny', 'ps-llama-yesno-bref'];
rmSync('public/models', { recursive: true, force: true });
for (const model of bundledModels) {
  if (!existsSync(join('models', model, 'manifest.json'))) throw new Error(`models/${model} is missing: see models/README.md`);
  cpSync(join('models', model), join('public/models', model), { recursive: true });
}
console.log(`copied onnxruntime-web ${ortVersion} wasm and ${bundledModels.length} model(s) into public/`);
