/**
 * The selection the patent map and the technology space share (src/clients/selection-client.ts),
 * wired once: a view loads it, saves its own, and hears about the other view's changes to the
 * same dataset while it is connected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { loadSelection, saveSelection, selectionEvents, SELECTION_EVENT, type Selection } from '../../clients/selection-client';

export type SelectionSource = Exclude<Selection['source'], 'none'>;

export class SharedSelection implements ReactiveController {
  /** Only selections of this dataset reach `onForeign`. */
  datasetId: string | null = null;
  /** The selection this view is saving: its own event (even a clear, source 'none') is not news to it. */
  private own: Selection | null = null;

  private readonly listener = (event: Event) => {
    const selection = (event as CustomEvent<Selection>).detail;
    if (selection === this.own || selection.datasetId !== this.datasetId || selection.source === this.source) return;
    this.onForeign(selection);
  };

  constructor(
    host: ReactiveControllerHost,
    private readonly source: SelectionSource,
    private readonly onForeign: (selection: Selection) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    selectionEvents.addEventListener(SELECTION_EVENT, this.listener);
  }

  hostDisconnected(): void {
    selectionEvents.removeEventListener(SELECTION_EVENT, this.listener);
  }

  load(datasetId: string): Promise<Selection> {
    this.datasetId = datasetId;
    return loadSelection(datasetId);
  }

  /** Saves this view's selection; an empty one is saved as source 'none', which clears it for both views. */
  save(datasetId: string, patentIds: string[], codes: string[]): Promise<Selection> {
    const selection: Selection = patentIds.length > 0 || codes.length > 0
      ? { datasetId, source: this.source, patentIds, codes }
      : { datasetId, source: 'none', patentIds: [], codes: [] };
    this.own = selection;
    return saveSelection(selection).then(() => selection);
  }
}
