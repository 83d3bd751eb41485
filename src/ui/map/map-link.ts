/**
 * The patent map's part of the address: its own selection (as patent ids, up to MAX_LINK_ITEMS;
 * a larger one stays in the stored selection only, since a cut list would be a different
 * selection) and the pollutant or section its relevance colours follow.
 */
import type { ReactiveControllerHost } from 'lit';
import type { Selection } from '../../clients/selection-client';
import { MAX_LINK_ITEMS, type ViewState } from '../../core/url/view-state';
import { ViewStateController } from '../shared/view-state-controller';

export class MapLink {
  private readonly url: ViewStateController;

  /** `onRestore`: back/forward, or a link followed while the map is open. */
  constructor(host: ReactiveControllerHost, onRestore: (state: ViewState) => void) {
    this.url = new ViewStateController(host, 'map', onRestore);
  }

  /** The selection to show on opening: the address's patents, else the one stored (shared with the space). */
  atStart(stored: Selection): Selection {
    const patentIds = this.url.state.patents;
    return patentIds.length > 0 ? { datasetId: stored.datasetId, source: 'map', patentIds, codes: [] } : stored;
  }

  /** An entry's selection, exactly (none when it names none). */
  selectionOf(datasetId: string, state: ViewState): Selection {
    return { datasetId, source: state.patents.length > 0 ? 'map' : 'none', patentIds: state.patents, codes: [] };
  }

  /** A selection made on the map: a step in the history. */
  selected(patentIds: readonly string[]): void {
    this.url.push({ patents: patentIds.length <= MAX_LINK_ITEMS ? [...patentIds] : [] });
  }

  /** A pollutant chosen for the relevance colours: a step too. */
  pollutant(index: number): void {
    this.url.push({ pollutant: index, section: null });
  }
}
