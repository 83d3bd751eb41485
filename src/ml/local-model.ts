import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ModelManifest } from './loader';
import type { ModelSource } from './runtime';

/**
 * A model folder on this machine's disk (Node only: tests, benchmarks, CLI), with its
 * manifest.json read the way the loader reads it for remote models, so that engines see the
 * same prompt template and code tokens whichever way the model arrived.
 */
export function localModelSource(root: string, id: string): ModelSource {
  const manifestPath = join(resolve(root), id, 'manifest.json');
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest : null;
  return { kind: 'path', root: resolve(root), id, manifest };
}
