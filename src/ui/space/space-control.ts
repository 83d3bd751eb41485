/** What the technology space's controls ask the view for: one event, `space-control`, for all of them. */
import type { SpaceSettings } from '../../core/layout/space';

export type SpaceControl =
  | { kind: 'settings'; change: Partial<SpaceSettings> }
  | { kind: 'recompute' }
  /** A code typed in the search box (any case); `additive` adds it to the selection. */
  | { kind: 'find'; text: string; additive: boolean }
  | { kind: 'select'; code: string; additive: boolean }
  | { kind: 'clear' } | { kind: 'png' } | { kind: 'csv' }
  | { kind: 'play' }
  /** A slider time in windows, or null for the all-years layout. */
  | { kind: 'time'; time: number | null }
  | { kind: 'trails'; on: boolean };

export const SPACE_CONTROL_EVENT = 'space-control';

export function fireSpaceControl(target: EventTarget, detail: SpaceControl): void {
  target.dispatchEvent(new CustomEvent<SpaceControl>(SPACE_CONTROL_EVENT, { detail, bubbles: true, composed: true }));
}
