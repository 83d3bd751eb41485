import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../src/core/progress';
import { ModelFileMissingError } from '../../src/ml/download';
import { EncoderEngine } from '../../src/ml/encoder';
import { ModelIntegrityError, ModelLoader, PrivateModeError } from '../../src/ml/loader';
import { parseModelRef } from '../../src/ml/model-ref';
import { MemoryModelStore } from '../../src/ml/model-store';
import { startHubMimic, type HubMimic } from './hub-mimic';

const MODEL_DIR = 'models/ps-encoder-tiny';
const REPO = 'test-org/ps-encoder-tiny';
const reference = JSON.parse(readFileSync(join(MODEL_DIR, 'reference.json'), 'utf8')) as { references: { text: string; embedding: number[] }[] };

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { dot += a[i] * b[i]; na += a[i] ** 2; nb += b[i] ** 2; }
  return dot / Math.sqrt(na * nb);
}

describe('ModelLoader against a local server with the hub layout', () => {
  let hub: HubMimic;
  let loader: ModelLoader;
  const ref = parseModelRef(`hub:${REPO}`);

  beforeEach(async () => {
    hub = await startHubMimic({ [REPO]: MODEL_DIR });
    loader = new ModelLoader({ store: new MemoryModelStore(), appBase: 'http://127.0.0.1/', hubHost: hub.host });
  });
  afterEach(async () => {
    await hub.close();
  });

  it('downloads the files with monotone byte progress, verifies them, and loads the second time without a request', async () => {
    const seen: Progress[] = [];
    const first = await loader.prepare(ref, 'fp32', {}, (p) => seen.push(p));
    expect(first.fromCache).toBe(false);
    expect(first.files).toEqual(expect.arrayContaining(['config.json', 'tokenizer.json', 'tokenizer_config.json', 'onnx/model.onnx', 'manifest.json']));
    expect(first.files).not.toContain('generation_config.json');
    expect(first.manifest?.kind).toBe('encoder');
    const done = seen.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.at(-1)?.done).toBe(seen.at(-1)?.total);
    expect(seen.at(-1)?.done).toBeGreaterThan(statSync(join(MODEL_DIR, 'onnx/model.onnx')).size);
    expect(hub.requests.every((r) => r.path.startsWith(`/${REPO}/resolve/main/`))).toBe(true);

    const before = hub.requests.length;
    const second = await loader.prepare(ref, 'fp32');
    expect(second.fromCache).toBe(true);
    expect(hub.requests.length).toBe(before);
  });

  it('takes an HTML page served for a missing file (a host\'s SPA fallback) as missing, not as the file', async () => {
    hub.htmlFallback(true);
    const prepared = await loader.prepare(ref, 'fp32');
    expect(prepared.files).not.toContain('generation_config.json');
    expect(prepared.manifest?.kind).toBe('encoder');
  });

  it('resumes a download cut part-way with a Range request and gets identical bytes', async () => {
    hub.dropNext('onnx/model.onnx', 100_000);
    const prepared = await loader.prepare(ref, 'fp32');
    const resumed = hub.requests.filter((r) => r.path.endsWith('onnx/model.onnx'));
    expect(resumed.map((r) => r.range)).toEqual([undefined, 'bytes=100000-']);
    const served = await loader.match(`/__ps_models__/${prepared.key}/onnx/model.onnx`);
    const bytes = new Uint8Array(await (served as Response).arrayBuffer());
    expect(Buffer.from(bytes).equals(readFileSync(join(MODEL_DIR, 'onnx/model.onnx')))).toBe(true);
  });

  it('refuses a file that does not match the manifest sha256, keeping nothing', async () => {
    hub.corrupt('onnx/model.onnx');
    await expect(loader.prepare(ref, 'fp32')).rejects.toBeInstanceOf(ModelIntegrityError);
    expect(await loader.match('/__ps_models__/x/onnx/model.onnx')).toBeUndefined();
  });

  it('in private mode refuses a hub model before any request, and still loads one already in the store', async () => {
    await expect(loader.prepare(ref, 'fp32', {}, undefined, { privateMode: true })).rejects.toThrow(PrivateModeError);
    await expect(loader.prepare(ref, 'fp32', {}, undefined, { privateMode: true })).rejects.toThrow(/Private mode is on: hub:test-org\/ps-encoder-tiny would be fetched from http:\/\/127\.0\.0\.1:\d+/);
    expect(hub.requests).toEqual([]);
    await loader.prepare(ref, 'fp32');
    const before = hub.requests.length;
    const cached = await loader.prepare(ref, 'fp32', {}, undefined, { privateMode: true });
    expect(cached.fromCache).toBe(true);
    expect(hub.requests.length).toBe(before);
  });

  it('fails at once, without retries, when a required file is missing', async () => {
    await expect(loader.prepare(ref, 'q4')).rejects.toBeInstanceOf(ModelFileMissingError);
    expect(hub.requests.filter((r) => r.path.endsWith('model_q4.onnx'))).toHaveLength(1);
  });

  it('runs the encoder on a hub model and on a picked folder, reproducing the recipe references', async () => {
    const folder = new Map<string, Blob>();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir)) {
        const path = join(dir, entry);
        if (statSync(path).isDirectory()) walk(path);
        else folder.set(relative(MODEL_DIR, path), new Blob([readFileSync(path)]));
      }
    };
    walk(MODEL_DIR);
    for (const source of [
      { kind: 'ref' as const, ref: `hub:${REPO}`, appBase: 'http://127.0.0.1/', hubHost: hub.host },
      { kind: 'ref' as const, ref: 'folder:picked', appBase: 'http://127.0.0.1/' },
    ]) {
      if (source.ref.startsWith('folder:')) {
        const { sharedLoader } = await import('../../src/ml/runtime');
        sharedLoader(source.appBase).registerFolder('picked', folder);
      }
      const engine = await EncoderEngine.create({ source, devices: ['cpu'] });
      const { vectors, dim } = await engine.embed(reference.references.map((r) => r.text));
      reference.references.forEach((r, i) => expect(cosine(vectors.subarray(i * dim, (i + 1) * dim), r.embedding)).toBeGreaterThanOrEqual(0.9999));
      expect(engine.info()?.manifest?.kind).toBe('encoder');
      await engine.destroy();
    }
  });
});
