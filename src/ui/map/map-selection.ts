/**
 * The patent map's selection: one flag per layout row, shown by the view, saved through
 * SharedSelection for the technology space and the next visit. A selection from the space names
 * patents or codes; codes are turned into rows by the map points engine (the page has no codes).
 */
import { levelCodesOfMapPoints, mapPointsWithLevelCodes } from '../../clients/map-points-client';
import type { Selection } from '../../clients/selection-client';
import type { SharedSelection } from '../shared/shared-selection';

export interface SelectionInfo {
  size: number;
  source: Selection['source'];
  /** Codes named by a selection from the space. */
  codes: number;
}

export class MapSelection {
  mask: Uint8Array = new Uint8Array(0);
  size = 0;
  info: SelectionInfo = { size: 0, source: 'none', codes: 0 };
  /** The last selection loaded, received or saved: applied again to each new layout. */
  stored: Selection | null = null;

  /** `onSelect` hears of each selection made on the map (the address follows it). */
  constructor(private readonly shared: SharedSelection, private readonly onSelect: (patentIds: readonly string[]) => void = () => undefined) {}

  /** An empty selection for `rows` rows (a new layout). */
  reset(rows: number): void {
    this.mask = new Uint8Array(rows);
    this.size = 0;
    this.info = { size: 0, source: 'none', codes: 0 };
  }

  /**
   * Shows a stored or incoming selection on the layout rows `ids`: its patents, or the patents of
   * its codes (which needs the points' key; without it the codes wait for the next apply).
   */
  async apply(selection: Selection, ids: readonly string[], pointsKey: string | null): Promise<void> {
    this.stored = selection;
    const mask = new Uint8Array(ids.length);
    if (selection.patentIds.length > 0) {
      const wanted = new Set(selection.patentIds);
      ids.forEach((id, i) => { if (wanted.has(id)) mask[i] = 1; });
    } else if (selection.codes.length > 0 && pointsKey) {
      const rows = await mapPointsWithLevelCodes(pointsKey, selection.codes);
      if (this.stored !== selection || rows.mask.length !== ids.length) return;
      mask.set(rows.mask);
    }
    this.set(mask, selection);
  }

  /** A selection made on the map (replacing or, with `add`, extending the current one), then saved. */
  async select(indices: readonly number[], add: boolean, datasetId: string, ids: readonly string[], pointsKey: string | null): Promise<void> {
    const mask = add ? this.mask.slice() : new Uint8Array(ids.length);
    for (const i of indices) mask[i] = 1;
    const patentIds: string[] = [];
    mask.forEach((flag, i) => { if (flag) patentIds.push(ids[i]); });
    const pending: Selection = { datasetId, source: patentIds.length > 0 ? 'map' : 'none', patentIds, codes: [] };
    this.stored = pending;
    this.set(mask, pending);
    this.onSelect(patentIds);
    const codes = patentIds.length > 0 && pointsKey ? await levelCodesOfMapPoints(pointsKey, mask) : [];
    if (this.stored !== pending) return;
    this.stored = await this.shared.save(datasetId, patentIds, codes);
  }

  private set(mask: Uint8Array, selection: Selection): void {
    this.mask = mask;
    let size = 0;
    for (const flag of mask) size += flag;
    this.size = size;
    this.info = { size, source: size > 0 ? selection.source : 'none', codes: selection.codes.length };
  }
}
