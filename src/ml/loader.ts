import { throwIfAborted, type TaskOptions } from '../core/abort';
import type { ProgressCallback } from '../core/progress';
import { ModelIntegrityError } from '../core/errors';
import { privateModeRefusal } from '../core/content-policy';
import { downloadFile, ModelFileMissingError } from './download';
import { DTYPE_SUFFIX, fileUrl, formatModelRef, modelKey, type ModelDtype, type ModelRef } from './model-ref';
import type { ModelFileStore } from './model-store';

export { ModelIntegrityError };

/** What the project's recipes write next to a model (other models may have none). */
export interface ModelManifest {
  name?: string;
  kind?: string;
  code_level?: string;
  code_tokens?: string[];
  separator_token?: string;
  /** Yes/No prompt: `user_template` (the recipes) or `user`, with {section_title} {technique} {patent_title} {patent_abstract}. */
  prompt?: { system: string; user?: string; user_template?: string };
  files?: Record<string, { bytes: number; sha256: string }>;
  /** What the recipe trained on: a forecast must not score years the model has seen (until_year). */
  training?: { corpus?: string; until_year?: number | null };
}

export interface PreparedModel {
  key: string;
  ref: ModelRef;
  dtype: ModelDtype;
  manifest: ModelManifest | null;
  /** The recipe's reference outputs (reference.json), when the model has them. */
  reference: unknown;
  /** Files present, relative to the model folder. */
  files: string[];
  /** Size of the ONNX graph file for `dtype` (weights included unless they are external data). */
  onnxBytes: number;
  /** True when no byte had to be fetched. */
  fromCache: boolean;
}

export interface LoaderOptions {
  store: ModelFileStore;
  /** Base URL bundled models are served under (the app's own origin). */
  appBase: string;
  hubHost: string;
  fetch?: typeof fetch;
}

/** A model refused because private mode allows no remote host; thrown before any request. */
export class PrivateModeError extends Error {
  override name = 'PrivateModeError';
}

const REQUIRED_FILES = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];
// reference.json: the recipe's outputs for fixed inputs, so a user can check a model on their own backend.
const OPTIONAL_FILES = ['manifest.json', 'generation_config.json', 'reference.json'];
/** Optional files known to be absent are recorded so they are not asked for again. */
const ABSENT_MARKER = '__absent__';
/** Path prefix transformers.js is given as its local model root; requests under it are served here. */
export const LOADER_ROOT = '/__ps_models__/';

/**
 * One loader for every model source. It fetches a model's files (with progress, retry and
 * resume), verifies them against the manifest's sha256 when there is one, keeps them in the
 * store, and serves them to transformers.js as if they were local files. A second load of the
 * same model reads only the store: no network request.
 */
export class ModelLoader {
  private readonly folders = new Map<string, Map<string, Blob>>();
  private readonly absent = new Set<string>();

  constructor(private readonly options: LoaderOptions) {}

  /** Makes a picked directory loadable as `folder:<name>` (files keyed by path inside it). */
  registerFolder(name: string, files: Map<string, Blob>): ModelRef {
    this.folders.set(name, files);
    return { kind: 'folder', name };
  }

  /**
   * `privateMode`: a model whose files would come from another origin than appBase is refused
   * (per call, since one shared loader keeps the folders registered with it across settings).
   */
  async prepare(ref: ModelRef, dtype: ModelDtype, task: TaskOptions = {}, onProgress?: ProgressCallback, policy: { privateMode?: boolean } = {}): Promise<PreparedModel> {
    const key = modelKey(ref);
    const store = this.options.store;
    const onnx = `onnx/model${DTYPE_SUFFIX[dtype]}.onnx`;
    const wanted = [...REQUIRED_FILES, onnx, ...OPTIONAL_FILES];
    const missing: string[] = [];
    for (const file of wanted) {
      if (!(await store.get(key, file)) && !(await this.isKnownAbsent(key, file))) missing.push(file);
    }
    if (missing.length > 0) {
      // A model already in the store loads in private mode too: that makes no request.
      if (policy.privateMode) this.refuseRemote(ref);
      await store.describe(key, formatModelRef(ref));
      await this.fetchFiles(ref, key, missing, task, onProgress);
    } else {
      onProgress?.({ stage: 'load', done: 1, total: 1, unit: 'bytes' });
    }
    const manifest = await this.readJson<ModelManifest>(key, 'manifest.json');
    await this.verify(key, manifest, wanted);
    const files: string[] = [];
    let onnxBytes = 0;
    for (const file of wanted) {
      const blob = await store.get(key, file);
      if (!blob) continue;
      files.push(file);
      if (file === onnx) onnxBytes = blob.size;
    }
    const reference = await this.readJson<unknown>(key, 'reference.json');
    return { key, ref, dtype, manifest, reference, files, onnxBytes, fromCache: missing.length === 0 };
  }

  /**
   * The Response for a path transformers.js asks for under LOADER_ROOT; a 404 Response for files
   * known to be absent (so an optional file is skipped instead of fetched), undefined otherwise.
   */
  async match(path: string): Promise<Response | undefined> {
    const located = locate(path);
    if (!located) return undefined;
    const { key, file } = located;
    const blob = await this.options.store.get(key, file);
    if (blob) return new Response(blob, { status: 200, headers: { 'content-length': String(blob.size) } });
    if (await this.isKnownAbsent(key, file)) return new Response(null, { status: 404 });
    return undefined;
  }

  private async fetchFiles(ref: ModelRef, key: string, files: string[], task: TaskOptions, onProgress?: ProgressCallback): Promise<void> {
    const received = new Map<string, number>();
    const sizes = new Map<string, number>();
    const started = performance.now();
    // Sizes are known only as each response arrives, so the total grows while `done` only rises.
    const report = () => {
      const done = [...received.values()].reduce((s, n) => s + n, 0);
      const total = Math.max(done, [...sizes.values()].reduce((s, n) => s + n, 0), 1);
      const rate = done / Math.max((performance.now() - started) / 1000, 1e-3);
      onProgress?.({ stage: 'load', done, total, unit: 'bytes', rate, etaSeconds: done > 0 ? (total - done) / rate : undefined });
    };
    for (const file of files) {
      throwIfAborted(task.signal);
      const optional = OPTIONAL_FILES.includes(file);
      try {
        const blob = await this.readSource(ref, file, task.signal, (bytes, total) => {
          received.set(file, bytes);
          if (total !== null) sizes.set(file, total);
          else sizes.set(file, Math.max(sizes.get(file) ?? 0, bytes));
          report();
        });
        await this.options.store.put(key, file, blob);
      } catch (error) {
        if (!(optional && error instanceof ModelFileMissingError)) throw error;
        await this.options.store.put(key, `${file}${ABSENT_MARKER}`, new Blob([]));
        this.absent.add(`${key}/${file}`);
      }
    }
    report();
  }

  private async readSource(ref: ModelRef, file: string, signal: AbortSignal | undefined, onBytes: (bytes: number, total: number | null) => void): Promise<Blob> {
    if (ref.kind === 'folder') {
      const blob = this.folders.get(ref.name)?.get(file);
      if (!blob) throw new ModelFileMissingError(`${ref.name}/${file}`, 404);
      onBytes(blob.size, blob.size);
      return blob;
    }
    const url = fileUrl(ref, file, { appBase: this.options.appBase, hubHost: this.options.hubHost });
    return downloadFile(url, { fetch: this.options.fetch ?? fetch, signal, onBytes });
  }

  /**
   * This worker's CSP comes from its script's response header, which cannot know about private
   * mode (a page setting), so the refusal is made here, before the first request.
   */
  private refuseRemote(ref: ModelRef): void {
    if (ref.kind === 'folder') return;
    const origin = new URL(fileUrl(ref, 'config.json', { appBase: this.options.appBase, hubHost: this.options.hubHost })).origin;
    if (origin !== new URL(this.options.appBase).origin) throw new PrivateModeError(privateModeRefusal(formatModelRef(ref), origin));
  }

  private async isKnownAbsent(key: string, file: string): Promise<boolean> {
    if (this.absent.has(`${key}/${file}`)) return true;
    return (await this.options.store.get(key, `${file}${ABSENT_MARKER}`)) !== undefined;
  }

  private async readJson<T>(key: string, file: string): Promise<T | null> {
    const blob = await this.options.store.get(key, file);
    return blob ? (JSON.parse(await blob.text()) as T) : null;
  }

  private async verify(key: string, manifest: ModelManifest | null, files: string[]): Promise<void> {
    if (!manifest?.files) return;
    for (const file of files) {
      const expected = manifest.files[file]?.sha256;
      const blob = expected ? await this.options.store.get(key, file) : undefined;
      if (!expected || !blob) continue;
      const actual = await sha256(blob);
      if (actual !== expected) {
        await this.options.store.remove(key);
        throw new ModelIntegrityError(file, expected, actual);
      }
    }
  }
}

/**
 * The key and file of a path transformers.js asks its cache for: the local form
 * `/__ps_models__/<key>/<file>`, or (Node, when it re-reads a model file from the cache) the
 * remote form `<host>/<key>/resolve/<revision>/<file>` it derives from the same key.
 */
function locate(path: string): { key: string; file: string } | null {
  const index = path.indexOf(LOADER_ROOT);
  if (index >= 0) {
    const [key, ...rest] = path.slice(index + LOADER_ROOT.length).split('/');
    return { key, file: rest.join('/') };
  }
  const remote = /\/([^/]+)\/resolve\/[^/]+\/(.+)$/.exec(path);
  return remote ? { key: remote[1], file: remote[2] } : null;
}

async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
