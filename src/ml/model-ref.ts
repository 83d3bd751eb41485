/**
 * Where a model comes from. Every kind resolves to the same file layout
 * (config.json, tokenizer.json, tokenizer_config.json, onnx/model{suffix}.onnx), so one loader
 * serves bundled models, hub models, any URL and a folder on the user's disk.
 */
export type ModelRef =
  /** Served by this app under models/<id>/ (the offline default). */
  | { kind: 'bundled'; id: string }
  /** A Hugging Face hub repository, fetched as {host}/{id}/resolve/{revision}/{file}. */
  | { kind: 'hub'; id: string; revision: string }
  /** Any base URL holding the files. */
  | { kind: 'url'; base: string }
  /** A directory the user picked; files stay on their disk and in this session's memory. */
  | { kind: 'folder'; name: string };

export type ModelDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4' | 'q4f16';

/** File-name suffix transformers.js uses for each dtype (onnx/model{suffix}.onnx). */
export const DTYPE_SUFFIX: Record<ModelDtype, string> = {
  fp32: '', fp16: '_fp16', q8: '_quantized', int8: '_int8', uint8: '_uint8', q4: '_q4', q4f16: '_q4f16',
};

export const DEFAULT_HUB_HOST = 'https://huggingface.co';

/** `bundled:ps-techtoken-tiny`, `hub:Xenova/all-MiniLM-L6-v2[@rev]`, `url:https://…/`, `folder:name`. */
export function parseModelRef(text: string): ModelRef {
  const colon = text.indexOf(':');
  const scheme = colon > 0 ? text.slice(0, colon) : '';
  const rest = text.slice(colon + 1).trim();
  switch (scheme) {
    case 'bundled':
      if (/^[\w.-]+$/.test(rest)) return { kind: 'bundled', id: rest };
      break;
    case 'hub': {
      const [id, revision] = rest.split('@');
      if (/^[\w.-]+(\/[\w.-]+)?$/.test(id)) return { kind: 'hub', id, revision: revision || 'main' };
      break;
    }
    case 'url':
      return { kind: 'url', base: rest.endsWith('/') ? rest : `${rest}/` };
    case 'folder':
      if (rest) return { kind: 'folder', name: rest };
      break;
    case 'http':
    case 'https':
      return { kind: 'url', base: text.endsWith('/') ? text : `${text}/` };
  }
  throw new Error(`"${text}" is not a model reference: use bundled:NAME, hub:OWNER/NAME, url:https://… or pick a folder`);
}

export function formatModelRef(ref: ModelRef): string {
  switch (ref.kind) {
    case 'bundled': return `bundled:${ref.id}`;
    case 'hub': return `hub:${ref.id}${ref.revision === 'main' ? '' : `@${ref.revision}`}`;
    case 'url': return `url:${ref.base}`;
    case 'folder': return `folder:${ref.name}`;
  }
}

/**
 * A name transformers.js accepts as a model id (its repo-id pattern, no `--` or `..`) that is
 * unique per reference: the key the loader's files are cached and served under.
 */
export function modelKey(ref: ModelRef): string {
  const text = formatModelRef(ref);
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619) >>> 0;
  const readable = text.replace(/^[a-z]+:/, '').replace(/[^\w.]+/g, '_').replace(/_+/g, '_').replace(/^[_.]+|[_.]+$/g, '').slice(-60);
  return `${ref.kind}-${readable || 'model'}-${hash.toString(16)}`;
}

/** Absolute URL of one file of a remote model (bundled models are remote to the worker too). */
export function fileUrl(ref: ModelRef, file: string, options: { appBase: string; hubHost: string }): string {
  switch (ref.kind) {
    case 'bundled': return new URL(`models/${ref.id}/${file}`, options.appBase).href;
    case 'hub': return `${options.hubHost.replace(/\/$/, '')}/${ref.id}/resolve/${encodeURIComponent(ref.revision)}/${file}`;
    case 'url': return new URL(file, ref.base).href;
    case 'folder': throw new Error('A folder model has no URL: its files come from the picked directory');
  }
}
