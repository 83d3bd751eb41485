/**
 * What the Import view shows for a whole-workspace file (ps-dataset-file.ts renders these): the
 * choice per dataset whose name is in use, what was imported, and the file's settings that differ
 * from this browser's, which are applied only when the user says so.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { BundleExport, BundleImport, NameClash, SettingChange } from '../../clients/workspace-client';
import type { RecordKind } from '../../core/workspace/format';
import type { DatasetRecord } from '../../store/records';

const KIND_LABELS: Record<RecordKind, string> = {
  patent: 'patents', code: 'codes', embedding: 'vector chunks', result: 'results', matchJob: 'match jobs',
  matchJobInput: 'match job inputs', matchJobChunk: 'match result chunks', conversation: 'conversations', setting: 'settings',
};

export function countsText(counts: Record<RecordKind, number>): string {
  return (['patent', 'embedding', 'matchJob', 'conversation', 'setting'] as const).map((kind) => `${counts[kind]} ${KIND_LABELS[kind]}`).join(', ');
}

/** Names of the settings the app keeps for the whole workspace; others are shown by their key. */
const SETTING_LABELS: Record<string, string> = {
  modelRef: 'Embedding model', chatChoice: 'Chat engine', mapSettings: 'Map settings', spaceSettings: 'Space settings',
  yesNoThreshold: 'Match yes/no threshold', matchBrefSection: 'BREF section to match', forecastCodeTitles: 'Forecast code titles',
  dashboardThresholds: 'Dashboard thresholds', 'page:privateMode': 'Private mode',
};

function valueText(value: unknown): string {
  if (value === undefined) return 'not set';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return typeof value === 'string' || typeof value === 'number' ? String(value) : 'other values';
}

export function exportedText(value: BundleExport): string {
  return `Saved ${value.fileName}: ${value.datasets.length} datasets (${value.datasets.join(', ')}), ${countsText(value.counts)}, ${value.workspaceSettings} workspace settings.`;
}

/** One clash as the user is deciding it. */
export interface ClashChoice extends NameClash {
  newName: string;
  skip: boolean;
}

export function renderClashes(
  clashes: ClashChoice[], update: (clashes: ClashChoice[]) => void, importAll: () => void, cancel: () => void,
): TemplateResult {
  const change = (i: number, patch: Partial<ClashChoice>) => update(clashes.map((c, n) => (n === i ? { ...c, ...patch } : c)));
  const ready = clashes.every((c) => c.skip || c.newName.trim() !== '');
  return html`<ps-notice kind="info" id="workspace-file-clashes"
      next="Import each as a second dataset under another name, or skip it; the datasets you have are left as they are.">
    ${clashes.length === 1 ? 'A dataset of this file has a name' : `${clashes.length} datasets of this file have names`} already in use here.
    <ul class="clashes">${clashes.map((c, i) => html`<li>
      <label>Import “${c.name}” as <input class="clash-name" data-index=${c.index} .value=${c.newName} ?disabled=${c.skip}
        @input=${(e: Event) => change(i, { newName: (e.target as HTMLInputElement).value })}></label>
      <label><input type="checkbox" class="clash-skip" data-index=${c.index} .checked=${c.skip}
        @change=${(e: Event) => change(i, { skip: (e.target as HTMLInputElement).checked })}> Skip it</label></li>`)}</ul>
    <button slot="action" id="workspace-file-import-as" class="primary" ?disabled=${!ready} @click=${importAll}>Import</button>
    <button slot="action" @click=${cancel}>Don't import</button>
  </ps-notice>`;
}

export function renderImported(value: BundleImport, open: (dataset: DatasetRecord) => void): TemplateResult {
  return html`<div role="status" id="workspace-file-done">
    <p>Imported ${value.datasets.length} ${value.datasets.length === 1 ? 'dataset' : 'datasets'}.</p>
    <ul>${value.datasets.map(({ dataset, counts }) => html`<li>“${dataset.name}”: ${countsText(counts)}.
      <button class="open-imported" @click=${() => open(dataset)}>Open</button></li>`)}</ul>
    ${value.skipped.length > 0 ? html`<p class="muted">Skipped: ${value.skipped.map((name) => `“${name}”`).join(', ')}.</p>` : nothing}
  </div>`;
}

/** The file's settings that differ from this browser's, as the user is choosing which to take. */
export interface SettingsChoice {
  changes: SettingChange[];
  chosen: ReadonlySet<string>;
  applied: boolean;
  /** Why applying them failed (nothing was changed in the database then: one transaction). */
  error: string | null;
}

export function renderSettings(
  choice: SettingsChoice, update: (choice: SettingsChoice) => void, apply: () => void, reload: () => void,
): TemplateResult {
  if (choice.applied) {
    return html`<p role="status" id="workspace-settings-applied">Settings applied. Reload the app to use them in every view.
      <button id="workspace-settings-reload" @click=${reload}>Reload</button></p>`;
  }
  const toggle = (key: string, on: boolean) => {
    const chosen = new Set(choice.chosen);
    if (on) chosen.add(key);
    else chosen.delete(key);
    update({ ...choice, chosen });
  };
  return html`<ps-notice kind="info" id="workspace-settings" next="Nothing is changed here until you apply them.">
    The file's settings differ from this browser's in ${choice.changes.length} ${choice.changes.length === 1 ? 'place' : 'places'}:
    <ul class="settings">${choice.changes.map((c) => html`<li><label><input type="checkbox" .checked=${choice.chosen.has(c.key)}
      @change=${(e: Event) => toggle(c.key, (e.target as HTMLInputElement).checked)}>
      ${SETTING_LABELS[c.key] ?? c.key}: ${valueText(c.value)} (here: ${valueText(c.current)})</label></li>`)}</ul>
    ${choice.error ? html`<p class="error" id="workspace-settings-error">The settings could not be applied: ${choice.error}</p>` : nothing}
    <button slot="action" id="workspace-settings-apply" class="primary" ?disabled=${choice.chosen.size === 0} @click=${apply}>Apply the chosen settings</button>
    <button slot="action" id="workspace-settings-keep" @click=${() => update({ ...choice, changes: [] })}>Keep this browser's</button>
  </ps-notice>`;
}
