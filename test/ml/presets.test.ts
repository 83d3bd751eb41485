import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface Preset { ref: string; training?: { corpus: string; until_year: number | null } }
const PRESETS = (JSON.parse(readFileSync('models/presets.json', 'utf8')) as { presets: Preset[] }).presets;

describe('models/presets.json', () => {
  it('states, for every bundled model, the training data its manifest states (the Models view shows it)', () => {
    const bundled = PRESETS.filter((p) => p.ref.startsWith('bundled:'));
    expect(bundled.length).toBeGreaterThan(0);
    for (const preset of bundled) {
      const manifest = JSON.parse(readFileSync(`models/${preset.ref.slice('bundled:'.length)}/manifest.json`, 'utf8')) as { training?: { corpus?: string; until_year?: number | null } };
      expect(manifest.training?.corpus, preset.ref).toBeTypeOf('string');
      expect(manifest.training && 'until_year' in manifest.training, `${preset.ref} states until_year`).toBe(true);
      expect(preset.training, preset.ref).toEqual({ corpus: manifest.training?.corpus, until_year: manifest.training?.until_year });
    }
  });
});
