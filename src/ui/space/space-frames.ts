/**
 * What the technology space shows at a slider time, from a computed layout: positions and sizes
 * of every code (interpolated along its trajectory), the trails drawn behind codes, and a code's
 * nearest codes. Pure functions of the layout: no DOM, no three.js.
 */
import { frameAt, presenceAt, type Trajectory } from '../../core/layout/trajectories';
import type { SpaceLayout } from '../../core/layout/space';
import { bytesOf, fnv1a, hex8 } from '../../core/hash';

/** Trails of every code up to this many codes; above, of the selection and the largest codes only. */
export const TRAILS_ALL_MAX = 300;
/** Above TRAILS_ALL_MAX, trails of this many of the largest codes besides the selection. */
const TRAILS_LARGEST = 50;
/** A code absent from a window shrinks to this share of its size. */
const ABSENT_SIZE = 0.45;

export interface SpaceNeighbour {
  code: string;
  similarity: number;
  count: number;
  section: string;
}

/** FNV-1a over the bytes of a Float32Array, as 8 hex digits: a cheap fingerprint of the positions. */
export function positionsHash(values: Float32Array): string {
  return hex8(fnv1a(bytesOf(values)));
}

export function trajectoriesOf(layout: SpaceLayout): Trajectory[] {
  const frames = layout.windows.length;
  return layout.codes.map((code, i) => ({
    code, components: 3, frames,
    positions: layout.trajectories.subarray(i * frames * 3, (i + 1) * frames * 3),
    observed: layout.observed.subarray(i * frames, (i + 1) * frames),
  }));
}

/** Positions and size factors at slider time `time` (windows), or of the all-years layout for null. */
export function framePositions(layout: SpaceLayout, trajectories: readonly Trajectory[], time: number | null): { positions: Float32Array; sizes: Float32Array } {
  if (time === null || trajectories.length === 0 || layout.windows.length === 0) {
    return { positions: layout.positions, sizes: new Float32Array(layout.codes.length).fill(1) };
  }
  return {
    positions: frameAt(trajectories, time),
    sizes: Float32Array.from(trajectories, (trajectory) => ABSENT_SIZE + (1 - ABSENT_SIZE) * presenceAt(trajectory, time)),
  };
}

/** The k nearest codes of `code` as the layout stored them (most similar first). */
export function neighboursOf(layout: SpaceLayout, code: string): SpaceNeighbour[] {
  const row = layout.codes.indexOf(code);
  if (row < 0) return [];
  const { k, indices, scores } = layout.neighbours;
  const out: SpaceNeighbour[] = [];
  for (let j = 0; j < k; j++) {
    const index = indices[row * k + j];
    if (index < 0) continue;
    out.push({ code: layout.codes[index], similarity: scores[row * k + j], count: layout.counts[index], section: layout.sections[index] });
  }
  return out;
}

/**
 * Trails up to `time`: each a polyline through the code's window positions so far, ending at its
 * interpolated position. Every code's trail for small spaces; otherwise the codes named in
 * `emphasised` and the largest ones.
 */
export function trailPaths(layout: SpaceLayout, trajectories: readonly Trajectory[], time: number, emphasised: readonly string[]): Float32Array[] {
  const rows = new Set<number>();
  if (layout.codes.length <= TRAILS_ALL_MAX) layout.codes.forEach((_, i) => rows.add(i));
  else {
    for (const code of emphasised) rows.add(layout.codes.indexOf(code));
    [...layout.counts.keys()].sort((a, b) => layout.counts[b] - layout.counts[a]).slice(0, TRAILS_LARGEST).forEach((i) => rows.add(i));
  }
  const whole = Math.floor(time);
  const paths: Float32Array[] = [];
  for (const i of rows) {
    if (i < 0 || !trajectories[i]) continue;
    const trajectory = trajectories[i];
    const path = new Float32Array((whole + 2) * 3);
    path.set(trajectory.positions.subarray(0, (whole + 1) * 3));
    path.set(frameAt([trajectory], time), (whole + 1) * 3);
    paths.push(path);
  }
  return paths;
}

/** Codes per IPC section, sorted by section. */
export function sectionCounts(layout: SpaceLayout): [string, number][] {
  const counts = new Map<string, number>();
  for (const s of layout.sections) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0].localeCompare(b[0]));
}
