/**
 * The layout pipeline on the bundled demo's technology corpus (1,000 synthetic patents, 10 planted themes).
 * Vectors: TF-IDF of each patent's text rather than its hidden latent position. The hidden
 * positions are per code (4-D, ~100 distinct points shared by many patents), so neighbourhoods
 * there are mostly ties; the text is what the app actually embeds, and it carries the planted
 * structure only as noisily as the generator wrote it (patents with codes of two themes mix their
 * words), which is the honest test of whether a layout keeps it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DemoGroundTruth } from '../../../src/core/demo/generate';
import { adjustedRandIndex, kMeans } from '../../../src/core/layout/clusters';
import { pca } from '../../../src/core/layout/pca';
import { neighbourhoodPreservation } from '../../../src/core/layout/quality';
import { topicLabels } from '../../../src/core/layout/topic-labels';
import { umap } from '../../../src/core/layout/umap';
import { DEMO_THEMES } from '../../../src/core/demo/themes';
import { loadDemoVectors } from './demo-vectors';

const demo = loadDemoVectors();
const truth = JSON.parse(readFileSync('public/demo/ground-truth.json', 'utf8')) as DemoGroundTruth;

/** A theme's words and the shared words its main groups own (the generator gives both). */
function wordsOfTheme(name: string): Set<string> {
  const theme = DEMO_THEMES.find((t) => t.name === name);
  const owned = truth.mainGroups.flatMap((code, i) => (theme?.codes.includes(code.split(' ')[0]) ? truth.mainGroupVocabulary[i] : []));
  return new Set([...(theme?.words ?? []), ...owned]);
}
const { n, dim, vectors } = demo;

describe('layouts of the demo corpus', () => {
  it('UMAP keeps neighbourhoods and planted themes far better than PCA', async () => {
    const flat = pca(vectors, n, dim, { components: 2, seed: 1 });
    const map = await umap(vectors, n, dim, { components: 2, seed: 1 });
    const space = await umap(vectors, n, dim, { components: 3, seed: 1 });
    const k = demo.themes.length;
    const report = [
      ['PCA 2D', flat.coordinates, 2], ['UMAP 2D', map.coordinates, 2], ['UMAP 3D', space.coordinates, 3],
    ].map(([name, coordinates, components]) => {
      const c = coordinates as Float32Array;
      const kept = neighbourhoodPreservation(vectors, dim, c, components as number, n);
      const clusters = kMeans(c, n, components as number, { k, seed: 1, restarts: 5 });
      return { name, preservation: kept.value, chance: kept.chance, ari: adjustedRandIndex(clusters.labels, demo.themeOf) };
    });
    const onEmbedding = adjustedRandIndex(kMeans(vectors, n, dim, { k, seed: 1, restarts: 5 }).labels, demo.themeOf);
    console.log(`demo layouts (n=${n}, TF-IDF dim=${dim}, k=${k}):`, JSON.stringify(report.map((r) => ({
      ...r, preservation: Number(r.preservation.toFixed(4)), chance: Number(r.chance.toFixed(4)), ari: Number(r.ari.toFixed(4)),
    }))), `k-means on the TF-IDF vectors themselves: ARI ${onEmbedding.toFixed(4)}`);
    const [pcaFigures, umap2d, umap3d] = report;
    // Measured: PCA 0.146, UMAP 0.59 (2D) / 0.62 (3D). The floors leave room for a different but
    // sound implementation choice, and still fail a UMAP no better than a linear projection.
    expect(umap2d.preservation).toBeGreaterThanOrEqual(Math.max(0.4, 2.5 * pcaFigures.preservation));
    expect(umap3d.preservation).toBeGreaterThanOrEqual(umap2d.preservation - 0.05);
    // Measured ARI ≈ 0.79 for UMAP + k-means against 0.22 for PCA. The ceiling is below 1 because
    // multi-theme patents carry words of both themes; 0.6 requires the ten themes to be ten regions.
    expect(umap2d.ari).toBeGreaterThan(0.6);
    expect(umap2d.ari).toBeGreaterThan(pcaFigures.ari + 0.3);
  });

  it('labels the map regions with words their dominant theme\'s codes own', async () => {
    const map = await umap(vectors, n, dim, { components: 2, seed: 1, epochs: 200 });
    const clusters = kMeans(map.coordinates, n, 2, { k: demo.themes.length, seed: 1, restarts: 5 });
    const labels = topicLabels(demo.texts, clusters.labels);
    let matching = 0;
    for (const label of labels) {
      const counts = new Map<string, number>();
      clusters.labels.forEach((cluster, i) => {
        if (cluster === label.cluster) counts.set(demo.themes[demo.themeOf[i]], (counts.get(demo.themes[demo.themeOf[i]]) ?? 0) + 1);
      });
      const dominant = [...counts].sort((a, b) => b[1] - a[1])[0][0];
      if (wordsOfTheme(dominant).has(label.terms[0].term)) matching++;
    }
    console.log('demo topic labels:', labels.map((l) => `${l.size}: ${l.label}`).join(' | '));
    expect(matching).toBeGreaterThanOrEqual(labels.length - 1);
  });
});
