/** Places the patent map's hover card next to the pointer, inside the stage, with the point's year and topic. */
import { html, nothing } from 'lit';
import type { MapLayout } from '../../clients/engine-types';
import type { MapPointsData } from './map-points';
import './ps-map-hover-card';

export interface MapHover {
  index: number;
  x: number;
  y: number;
}

export function renderMapHoverCard(hover: MapHover | null, layout: MapLayout | null, stage: { width: number; height: number }, points: MapPointsData) {
  if (!hover || !layout || hover.index >= layout.ids.length) return nothing;
  const { width, height } = stage;
  const topic = layout.topics.find((t) => t.cluster === layout.clusters[hover.index]);
  const left = Math.min(hover.x + 14, Math.max(0, width - 300));
  const top = hover.y + 14 > height - 90 ? Math.max(0, hover.y - 90) : hover.y + 14;
  const year = points.columns?.years[hover.index];
  return html`<ps-map-hover-card style="left:${left}px;top:${top}px" .patentId=${layout.ids[hover.index]}
    .summary=${points.summary(hover.index)} .year=${year !== undefined && Number.isFinite(year) ? year : null}
    .topic=${topic?.label ?? ''}></ps-map-hover-card>`;
}
