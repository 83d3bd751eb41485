/**
 * The patent map's exports: the picture as PNG (the WebGL canvas, whose drawing buffer is kept,
 * with the topic labels painted in where they appear on screen) and the selection as CSV (rows
 * from the map points engine, which holds the titles and codes).
 */
import { mapPointSummaries } from '../../clients/map-points-client';
import type { MapLayout } from '../../clients/engine-types';
import { downloadBlob, downloadCsv, rounded } from '../download';
import { toScreen, type MapViewport } from '../map-geometry';
import { MAP_CANVASES, cssColour } from '../theme/palette';
import { currentScheme } from '../theme/media';

const LABEL_FONT = 'system-ui, sans-serif';
export const SELECTION_CSV_HEADER = ['patent', 'title', 'year', 'codes', 'topic', 'x', 'y'] as const;

export async function exportMapPng(canvas: HTMLCanvasElement, viewport: MapViewport, layout: MapLayout, labels: readonly HTMLElement[]): Promise<void> {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const context = out.getContext('2d');
  if (!context) return;
  context.drawImage(canvas, 0, 0);
  const ratio = canvas.width / Math.max(1, viewport.width);
  context.textAlign = 'center';
  context.textBaseline = 'middle';
  const byCluster = new Map(layout.topics.map((t) => [t.cluster, t]));
  for (const element of labels) {
    const topic = byCluster.get(Number(element.dataset.cluster));
    if (!topic || element.style.display === 'none') continue;
    const [sx, sy] = toScreen(viewport, topic.x, topic.y);
    context.font = `600 ${Number.parseFloat(element.style.fontSize || '12') * ratio}px ${LABEL_FONT}`;
    context.lineWidth = 3 * ratio;
    const theme = MAP_CANVASES[currentScheme()];
    context.strokeStyle = cssColour(theme.background);
    context.strokeText(topic.label, sx * ratio, sy * ratio);
    context.fillStyle = cssColour(theme.ink);
    context.fillText(topic.label, sx * ratio, sy * ratio);
  }
  const blob = await new Promise<Blob | null>((resolve) => out.toBlob(resolve, 'image/png'));
  if (blob) downloadBlob(`patent-map-${layout.method}-seed${layout.settings.seed}.png`, blob);
}

/** The flagged rows with title, year, codes, topic and map coordinates. */
export async function exportSelectionCsv(layout: MapLayout, pointsKey: string, mask: Uint8Array): Promise<void> {
  const rows: number[] = [];
  mask.forEach((flag, i) => { if (flag) rows.push(i); });
  const topicOf = new Map(layout.topics.map((t) => [t.cluster, t.label]));
  const summaries = await mapPointSummaries(pointsKey, rows);
  downloadCsv(`patent-map-selection-${rows.length}.csv`, SELECTION_CSV_HEADER, summaries.map((p, k) => {
    const i = rows[k];
    return [p.id, p.title, p.year ?? '', p.codes.join('; '), topicOf.get(layout.clusters[i]) ?? '',
      rounded(layout.coordinates[i * 2], 5), rounded(layout.coordinates[i * 2 + 1], 5)];
  }));
}
