/** The technology space's downloads: the picture (PNG) and the selected codes' nearest codes (CSV). */
import type { SpaceLayout } from '../../core/layout/space';
import { downloadBlob, downloadCsv, rounded } from '../download';
import type { SpaceScene } from '../space-scene';
import { neighboursOf } from './space-frames';

const CSV_HEADER = ['selected_code', 'selected_patents', 'rank', 'neighbour_code', 'neighbour_section', 'neighbour_patents', 'cosine_similarity'];

export async function exportSpacePng(scene: SpaceScene, focusCode: string | null): Promise<void> {
  downloadBlob(`technology-space${focusCode ? `-${focusCode.replace(/\W+/g, '_')}` : ''}.png`, await scene.toPngBlob());
}

export function exportSpaceCsv(layout: SpaceLayout, selected: readonly string[]): void {
  const rows = selected.flatMap((code) => {
    const count = layout.counts[layout.codes.indexOf(code)];
    return neighboursOf(layout, code).map((n, rank) => [code, count, rank + 1, n.code, n.section, n.count, rounded(n.similarity, 6)]);
  });
  downloadCsv('technology-space-selection.csv', CSV_HEADER, rows);
}
