/**
 * Where downloaded model files are kept between sessions: the Cache API in browsers (one cache,
 * one synthetic URL per file) and memory elsewhere (Node, tests, or a browser without caches).
 */
export interface CachedModelSummary {
  key: string;
  /** The reference the files came from, e.g. `hub:Xenova/all-MiniLM-L6-v2`. */
  ref: string;
  files: { file: string; bytes: number }[];
  bytes: number;
}

export interface ModelFileStore {
  get(key: string, file: string): Promise<Blob | undefined>;
  put(key: string, file: string, body: Blob): Promise<void>;
  /** Remembers which reference a key belongs to, for the cache view. */
  describe(key: string, ref: string): Promise<void>;
  list(): Promise<CachedModelSummary[]>;
  remove(key: string): Promise<void>;
}

/** Exported for the offline test, which checks that a new app version leaves this cache alone. */
export const MODEL_CACHE_NAME = 'patent-space-models';
/** The Cache API only stores http(s) requests; this origin is never contacted. */
const SYNTHETIC_ORIGIN = 'https://models.patent-space.invalid';
const DESCRIPTION_FILE = '__ref__';

export class CacheApiModelStore implements ModelFileStore {
  private cache(): Promise<Cache> {
    return caches.open(MODEL_CACHE_NAME);
  }

  async get(key: string, file: string): Promise<Blob | undefined> {
    const response = await (await this.cache()).match(urlOf(key, file));
    return response ? response.blob() : undefined;
  }

  async put(key: string, file: string, body: Blob): Promise<void> {
    await (await this.cache()).put(urlOf(key, file), new Response(body, { headers: { 'content-length': String(body.size) } }));
  }

  async describe(key: string, ref: string): Promise<void> {
    await this.put(key, DESCRIPTION_FILE, new Blob([ref]));
  }

  async list(): Promise<CachedModelSummary[]> {
    const cache = await this.cache();
    const byKey = new Map<string, CachedModelSummary>();
    for (const request of await cache.keys()) {
      const [key, ...rest] = new URL(request.url).pathname.slice(1).split('/');
      const file = rest.map(decodeURIComponent).join('/');
      const summary = byKey.get(key) ?? { key, ref: key, files: [], bytes: 0 };
      byKey.set(key, summary);
      const response = await cache.match(request);
      if (!response) continue;
      if (file === DESCRIPTION_FILE) {
        summary.ref = await response.text();
        continue;
      }
      const bytes = Number(response.headers.get('content-length') ?? (await response.blob()).size);
      summary.files.push({ file, bytes });
      summary.bytes += bytes;
    }
    return [...byKey.values()];
  }

  async remove(key: string): Promise<void> {
    const cache = await this.cache();
    const prefix = `${SYNTHETIC_ORIGIN}/${key}/`;
    for (const request of await cache.keys()) if (request.url.startsWith(prefix)) await cache.delete(request);
  }
}

export class MemoryModelStore implements ModelFileStore {
  private readonly files = new Map<string, Map<string, Blob>>();
  private readonly refs = new Map<string, string>();

  async get(key: string, file: string): Promise<Blob | undefined> {
    return this.files.get(key)?.get(file);
  }

  async put(key: string, file: string, body: Blob): Promise<void> {
    if (!this.files.has(key)) this.files.set(key, new Map());
    this.files.get(key)?.set(file, body);
  }

  async describe(key: string, ref: string): Promise<void> {
    this.refs.set(key, ref);
  }

  async list(): Promise<CachedModelSummary[]> {
    return [...this.files].map(([key, files]) => {
      const list = [...files].map(([file, blob]) => ({ file, bytes: blob.size }));
      return { key, ref: this.refs.get(key) ?? key, files: list, bytes: list.reduce((s, f) => s + f.bytes, 0) };
    });
  }

  async remove(key: string): Promise<void> {
    this.files.delete(key);
    this.refs.delete(key);
  }
}

/** The Cache API when this context has it (windows and workers on http(s)), memory otherwise. */
export function defaultModelStore(): ModelFileStore {
  return typeof caches !== 'undefined' ? new CacheApiModelStore() : new MemoryModelStore();
}

function urlOf(key: string, file: string): string {
  return `${SYNTHETIC_ORIGIN}/${key}/${file.split('/').map(encodeURIComponent).join('/')}`;
}
