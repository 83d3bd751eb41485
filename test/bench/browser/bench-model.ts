/**
 * Node side of the embedding benches: a random-weight encoder of all-MiniLM-L6-v2's shape
 * (6 layers, hidden 384, 12 heads, FFN 1536), built once by models/recipes/make_bench_encoder.py
 * into tmp/bench-models/ (git-ignored, ~45 MB), and bench texts of up to ~250 tokens.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BENCH_MODEL_ROOT = 'tmp/bench-models';
export const MINILM_SHAPE = 'minilm-l6-shape';

/** The folder of the MiniLM-shaped model, built when missing (needs /usr/bin/python3 with torch and onnx). */
export function ensureMiniLmShapedModel(): string {
  const dir = join(BENCH_MODEL_ROOT, MINILM_SHAPE);
  if (!existsSync(join(dir, 'manifest.json'))) {
    execFileSync('/usr/bin/python3', ['models/recipes/make_bench_encoder.py', '--out', dir, '--seed', '0'], { stdio: 'inherit' });
  }
  return dir;
}

/**
 * Texts of 25 to 194 words cut from runs of demo patents (~30 to ~230 tokens), lengths spread
 * evenly as real abstracts' are, so there is padding for batching to avoid.
 */
export function longTexts(texts: string[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => texts.slice(i, i + 6).join(' ').split(' ').slice(0, 25 + ((i * 37) % 170)).join(' '));
}
