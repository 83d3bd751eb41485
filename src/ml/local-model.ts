import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelManifest } from './loader';
import type { ModelSource } from './runtime';

/**
 * A model folder on this machine's disk (Node only: tests, benchmarks, CLI), with its
 * manifest.json and reference.json read the way the loader reads them for remote models, so
 * engines see the same prompt template and code tokens whichever way the model arrived.
 */
export function localModelSource(root: string, id: string): ModelSource {
  const readJson = (file: string): unknown => {
    const path = join(resolve(root), id, file);
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as unknown : null;
  };
  return { kind: 'path', root: resolve(root), id, manifest: readJson('manifest.json') as ModelManifest | null, reference: readJson('reference.json') };
}
