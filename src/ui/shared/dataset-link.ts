/**
 * The app shell's part of the address: which dataset, at which code level. A link names its
 * dataset by content fingerprint (the same on any machine that imported the same patents; the id
 * for records from before fingerprints), so it opens that dataset here when it is stored, and
 * otherwise says so, naming it, and keeps the dataset the user had.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { CodeLevel } from '../../core/types';
import type { ViewState } from '../../core/url/view-state';
import type { DatasetRecord } from '../../store/records';
import { ViewStateController } from './view-state-controller';
import './ps-notice';

export interface DatasetLinkActions {
  select(datasetId: string): Promise<void>;
  changeLevel(level: CodeLevel): Promise<void>;
}

/** How a link names a dataset. */
export function datasetKey(dataset: DatasetRecord): string {
  return dataset.fingerprint ?? dataset.id;
}

function named(dataset: DatasetRecord, key: string): boolean {
  return dataset.fingerprint === key || dataset.id === key;
}

export class DatasetLink implements ReactiveController {
  /** The link's dataset that is not on this machine (its name, or its key when the link has no name). */
  missing: string | null = null;
  private readonly url: ViewStateController;
  private datasets: readonly DatasetRecord[] = [];
  private active: DatasetRecord | null = null;
  /** The key of the missing dataset, so that walking back to its link does not tell it twice. */
  private missingKey: string | null = null;
  /** The address's dataset and level have been looked at once the datasets were known (at start). */
  private started = false;

  constructor(private readonly host: ReactiveControllerHost, private readonly actions: DatasetLinkActions) {
    host.addController(this);
    this.url = new ViewStateController(host, null, (state) => this.follow(state, false));
  }

  hostConnected(): void {
    // The view-state controller listens; this one acts when the shell shows a dataset.
  }

  /** The shell's active dataset or list changed: follow the link at start, then keep the address in step. */
  shown(active: DatasetRecord | null, datasets: readonly DatasetRecord[]): void {
    this.active = active;
    this.datasets = datasets;
    if (!active) return;
    if (!this.started) {
      this.started = true;
      if (this.follow(this.url.state, true)) return;
    }
    const state = this.url.state;
    const patch: Partial<ViewState> = { dataset: datasetKey(active), datasetName: active.name, level: active.level };
    if (state.dataset && !named(active, state.dataset) && state.dataset !== this.missingKey) {
      // The user chose another dataset: a step; what was selected in the last one means nothing here.
      this.url.push({ ...patch, codes: [], patents: [], camera: null, year: null });
    } else if (state.dataset && state.level && state.level !== active.level) {
      this.url.push(patch); // the user changed the level: a step too
    } else {
      // What the address already says (a link followed, back/forward), or what it lacked.
      this.url.replace(patch);
    }
  }

  /**
   * Opens the address's dataset and level when they differ from the shown ones; true when it asked
   * the shell for a change (which calls `shown` again). With `atStart`, a missing dataset is told.
   */
  private follow(state: ViewState, atStart: boolean): boolean {
    const active = this.active;
    if (!active) return false;
    if (state.dataset && !named(active, state.dataset)) {
      const wanted = this.datasets.find((d) => named(d, state.dataset as string));
      if (wanted) {
        this.setMissing(null);
        void this.actions.select(wanted.id);
        return true;
      }
      if (atStart || state.dataset !== this.missingKey) this.setMissing(state.datasetName ?? state.dataset, state.dataset);
      // The address now says what is shown, so a reload does not ask again.
      this.url.replace({ dataset: datasetKey(active), datasetName: active.name, level: active.level });
      return false;
    }
    if (!state.dataset) {
      // A link without a dataset (a view's own link, the navigation): fill it in, changing no step.
      this.url.replace({ dataset: datasetKey(active), datasetName: active.name, level: state.level ?? active.level });
    }
    if (state.level && state.level !== active.level) {
      void this.actions.changeLevel(state.level);
      return true;
    }
    return false;
  }

  private setMissing(name: string | null, key: string | null = null): void {
    this.missing = name;
    this.missingKey = key;
    this.host.requestUpdate();
  }

  renderNotice() {
    if (!this.missing) return nothing;
    const current = this.active?.name ?? 'none';
    return html`<ps-notice kind="warning" id="link-dataset-missing"
      next="Import that dataset (its dataset file, or the same patent files) on this machine, then open the link again.">
      The link is for the dataset “${this.missing}”, which is not on this machine: showing “${current}” instead.
      <button slot="action" @click=${() => this.setMissing(null)}>Dismiss</button>
    </ps-notice>`;
  }
}
