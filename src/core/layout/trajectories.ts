/**
 * Per-code trajectories through the technology space over year windows: one position per frame,
 * gaps (windows where a code has no patents) filled by linear interpolation between the frames
 * around them and held constant before the first and after the last observation, then optionally
 * smoothed, and interpolated between frames for a continuous time slider.
 */

/** Positions of codes in one frame (one year window), e.g. a projection of the aligned code vectors. */
export interface LayoutFrame {
  codes: readonly string[];
  components: number;
  /** codes×components, row-major. */
  coordinates: Float32Array;
}

export interface Trajectory {
  code: string;
  components: number;
  frames: number;
  /** frames×components; every frame filled. */
  positions: Float32Array;
  /** 1 where the code was present in the frame, 0 where its position was filled in. */
  observed: Uint8Array;
}

export type Smoothing =
  | { kind: 'none' }
  /** Centred mean over frame ± radius; near the ends over the frames that exist. */
  | { kind: 'moving-average'; radius: number }
  /** Exponential smoothing run forward then backward, so the path does not lag behind time. */
  | { kind: 'exponential'; alpha: number };

export function buildTrajectories(frames: readonly LayoutFrame[], smoothing: Smoothing = { kind: 'none' }): Trajectory[] {
  if (frames.length === 0) return [];
  const components = frames[0].components;
  const byCode = new Map<string, { positions: Float64Array; observed: Uint8Array }>();
  frames.forEach((frame, f) => {
    if (frame.components !== components) throw new RangeError('all frames must have the same components');
    frame.codes.forEach((code, row) => {
      let entry = byCode.get(code);
      if (!entry) byCode.set(code, (entry = { positions: new Float64Array(frames.length * components), observed: new Uint8Array(frames.length) }));
      entry.observed[f] = 1;
      for (let c = 0; c < components; c++) entry.positions[f * components + c] = frame.coordinates[row * components + c];
    });
  });
  return [...byCode].map(([code, { positions, observed }]) => {
    fillMissing(positions, observed, frames.length, components);
    return {
      code, components, frames: frames.length, observed,
      positions: Float32Array.from(smoothPath(positions, frames.length, components, smoothing)),
    };
  });
}

/** In place: linear interpolation across gaps, constant before the first and after the last observed frame. */
export function fillMissing(positions: Float64Array, observed: Uint8Array, frames: number, components: number): void {
  const seen: number[] = [];
  for (let f = 0; f < frames; f++) if (observed[f]) seen.push(f);
  if (seen.length === 0) return;
  const copy = (to: number, from: number) => {
    for (let c = 0; c < components; c++) positions[to * components + c] = positions[from * components + c];
  };
  for (let f = 0; f < seen[0]; f++) copy(f, seen[0]);
  for (let f = seen[seen.length - 1] + 1; f < frames; f++) copy(f, seen[seen.length - 1]);
  for (let s = 0; s + 1 < seen.length; s++) {
    const left = seen[s];
    const right = seen[s + 1];
    for (let f = left + 1; f < right; f++) {
      const w = (f - left) / (right - left);
      for (let c = 0; c < components; c++) {
        positions[f * components + c] = (1 - w) * positions[left * components + c] + w * positions[right * components + c];
      }
    }
  }
}

export function smoothPath(positions: Float64Array, frames: number, components: number, smoothing: Smoothing): Float64Array {
  switch (smoothing.kind) {
    case 'none':
      return positions.slice();
    case 'moving-average':
      return movingAverage(positions, frames, components, smoothing.radius);
    case 'exponential':
      return forwardBackwardExponential(positions, frames, components, smoothing.alpha);
  }
}

function movingAverage(positions: Float64Array, frames: number, components: number, radius: number): Float64Array {
  if (!Number.isInteger(radius) || radius < 0) throw new RangeError('radius must be a non-negative integer');
  const out = new Float64Array(positions.length);
  for (let f = 0; f < frames; f++) {
    const from = Math.max(0, f - radius);
    const to = Math.min(frames - 1, f + radius);
    for (let c = 0; c < components; c++) {
      let sum = 0;
      for (let g = from; g <= to; g++) sum += positions[g * components + c];
      out[f * components + c] = sum / (to - from + 1);
    }
  }
  return out;
}

function forwardBackwardExponential(positions: Float64Array, frames: number, components: number, alpha: number): Float64Array {
  if (!(alpha > 0 && alpha <= 1)) throw new RangeError('alpha must be in (0, 1]');
  const out = positions.slice();
  for (let c = 0; c < components; c++) {
    for (let f = 1; f < frames; f++) out[f * components + c] = alpha * out[f * components + c] + (1 - alpha) * out[(f - 1) * components + c];
    for (let f = frames - 2; f >= 0; f--) out[f * components + c] = alpha * out[f * components + c] + (1 - alpha) * out[(f + 1) * components + c];
  }
  return out;
}

/** Position at slider time t ∈ [0, frames − 1] (clamped), linear between the neighbouring frames. */
export function positionAt(trajectory: Trajectory, t: number): Float32Array {
  const { components, frames, positions } = trajectory;
  const clamped = Math.min(Math.max(t, 0), frames - 1);
  const left = Math.floor(clamped);
  const right = Math.min(left + 1, frames - 1);
  const w = clamped - left;
  const out = new Float32Array(components);
  for (let c = 0; c < components; c++) out[c] = (1 - w) * positions[left * components + c] + w * positions[right * components + c];
  return out;
}

/** All trajectories at time t, as trajectories.length × components for one draw call. */
export function frameAt(trajectories: readonly Trajectory[], t: number): Float32Array {
  const components = trajectories[0]?.components ?? 0;
  const out = new Float32Array(trajectories.length * components);
  trajectories.forEach((trajectory, i) => out.set(positionAt(trajectory, t), i * components));
  return out;
}

/**
 * Presence at time t between 0 and 1 (linear between frames), so a view can fade a code in and
 * out where its position was only filled in.
 */
export function presenceAt(trajectory: Trajectory, t: number): number {
  const clamped = Math.min(Math.max(t, 0), trajectory.frames - 1);
  const left = Math.floor(clamped);
  const right = Math.min(left + 1, trajectory.frames - 1);
  const w = clamped - left;
  return (1 - w) * trajectory.observed[left] + w * trajectory.observed[right];
}
