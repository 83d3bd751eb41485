/**
 * The whole workspace as one Patent Space file (core/workspace/bundle-format.ts): every ready
 * dataset with everything kept with it, and the workspace's settings.
 *
 * Import follows the dataset file's rules (workspace-engine.ts): the file is checked whole before
 * anything is written; each dataset goes in under a new id, 'importing' and under its import
 * lock, and all of them become ready in one last transaction, so a reload or a cancel at any
 * point before it leaves nothing (the start-up clean-up removes unlocked 'importing' datasets).
 * Nothing is ever replaced: names in use are refused with DatasetNameClashesError until the
 * caller passes a choice per clash (another name, or skip). Workspace settings are never written
 * by the import: it returns those that differ from this profile's, and the user decides
 * (applySettings), because a file should not silently change the model or private mode here.
 */
import { throwIfAborted } from '../core/abort';
import { ProgressTracker, type ProgressCallback } from '../core/progress';
import {
  BUNDLE_FILE, BUNDLE_FORMAT, BUNDLE_VERSION, isWorkspaceSettingKey, PAGE_SETTING_PREFIX,
  type BundleManifest, type WorkspaceSetting,
} from '../core/workspace/bundle-format';
import { SectionHashes } from '../core/workspace/checksum';
import { DatasetNameClashesError, type NameClash } from '../core/workspace/errors';
import { decodeValue, encodeValue, RECORD_KINDS, WORKSPACE_EXTENSION, type RecordKind } from '../core/workspace/format';
import { readLines, verifyLines, WorkspaceFileError } from '../core/workspace/reader';
import { holdImportLock } from '../store/import-locks';
import type { DatasetRecord } from '../store/records';
import type { WorkspaceStore } from '../store/workspace-store';
import { BatchWriter, countsOf, emitDataset, freeName, LineSink } from './workspace-lines';

export interface BundleExport {
  blob: Blob;
  fileName: string;
  /** Records of each kind, over all datasets. */
  counts: Record<RecordKind, number>;
  datasets: string[];
  workspaceSettings: number;
}

/** A workspace setting of the file that this profile has otherwise (or not at all: `current` undefined). */
export interface SettingChange extends WorkspaceSetting {
  current: unknown;
}

export interface BundleImport {
  datasets: { dataset: DatasetRecord; counts: Record<RecordKind, number> }[];
  /** Names of the file's datasets the user chose to skip. */
  skipped: string[];
  /** Not written: the caller asks the user first. */
  settings: SettingChange[];
}

export interface BundleContext {
  store: WorkspaceStore;
  signal: AbortSignal | undefined;
  onProgress: ProgressCallback | undefined;
  /** Settings the page keeps itself (`page:` keys), as they are now. */
  pageSettings: readonly WorkspaceSetting[];
}

export async function exportBundle(context: BundleContext, appVersion: string): Promise<BundleExport> {
  const { store, signal } = context;
  const all = await store.allDatasets();
  const datasets = all.filter((d) => d.status === 'ready' && d.deletedAt === undefined).sort((a, b) => a.createdAt - b.createdAt);
  const tracker = new ProgressTracker('load', 'patents', datasets.reduce((sum, d) => sum + d.patentCount, 0), context.onProgress);
  const sink = new LineSink();
  const entries: BundleManifest['datasets'] = [];
  let patentsBefore = 0;
  for (const [i, dataset] of datasets.entries()) {
    const sections = await emitDataset(store, dataset.id, sink, signal, (done) => tracker.report(patentsBefore + done), i);
    patentsBefore += sections.patent.records;
    entries.push({ dataset: encodeValue(dataset), sections });
  }
  throwIfAborted(signal);
  const ids = new Set(all.map((d) => d.id));
  const keys = (await store.settingKeys()).filter((key) => isWorkspaceSettingKey(key, ids) && !key.startsWith(PAGE_SETTING_PREFIX));
  const values = await store.getSettings(keys);
  const hashes = new SectionHashes();
  const settings = [
    // A value naming a dataset of this profile (the active one, say) would name nothing on the other machine.
    ...keys.map((key, i) => ({ key, value: values[i] })).filter(({ value }) => !namesDataset(value, ids)),
    ...context.pageSettings,
  ];
  for (const setting of settings) await sink.emit(hashes, 'setting', setting);
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT, version: BUNDLE_VERSION, appVersion, exportedAt: Date.now(),
    datasets: entries, settings: (await hashes.summary()).setting,
  };
  const counts = Object.fromEntries(RECORD_KINDS.map((kind) => [kind, entries.reduce((sum, e) => sum + e.sections[kind].records, 0)]));
  return {
    blob: sink.blob(manifest), fileName: `patent-space-workspace-${new Date().toISOString().slice(0, 10)}${WORKSPACE_EXTENSION}`,
    counts: counts as Record<RecordKind, number>, datasets: datasets.map((d) => d.name), workspaceSettings: settings.length,
  };
}

/**
 * The name each of the file's datasets gets (null: skipped). `choices` holds, by the dataset's
 * place in the file, the name the user gave or null to skip it; the others keep their own. A name
 * in use here, or by an earlier dataset of the file, is a clash: all of them are thrown together.
 */
export function planNames(names: readonly string[], taken: ReadonlySet<string>, choices: Readonly<Record<number, string | null>> = {}): (string | null)[] {
  const used = new Set(taken);
  const clashes: NameClash[] = [];
  const planned = names.map((own, index) => {
    const choice = choices[index];
    if (choice === null) return null;
    const name = choice?.trim() || own;
    if (used.has(name)) clashes.push({ index, name, suggestedName: '' });
    used.add(name);
    return name;
  });
  if (clashes.length === 0) return planned;
  for (const clash of clashes) used.add((clash.suggestedName = freeName(clash.name, used)));
  throw new DatasetNameClashesError(clashes);
}

export async function importBundle(
  context: BundleContext, file: Blob, choices: Readonly<Record<number, string | null>> | undefined,
): Promise<BundleImport> {
  const { store, signal } = context;
  // Two passes over the file, so `done` runs to twice its size.
  const tracker = new ProgressTracker('load', 'bytes', file.size * 2, context.onProgress);
  const manifest = await verifyLines(file.stream(), BUNDLE_FILE, { signal, onBytes: (bytes) => tracker.report(bytes) });
  const originals = manifest.datasets.map((entry) => decodeValue(entry.dataset) as DatasetRecord);
  const taken = new Set((await store.allDatasets()).filter((d) => d.deletedAt === undefined).map((d) => d.name));
  const names = planNames(originals.map((d) => d.name), taken, choices);
  const writers = new Map<number, BatchWriter>();
  const ids: string[] = [];
  const releases: (() => void)[] = [];
  const fileSettings: WorkspaceSetting[] = [];
  try {
    for (const [i, name] of names.entries()) {
      if (name === null) continue;
      const id = crypto.randomUUID();
      releases.push(await holdImportLock(id));
      ids.push(id);
      const { deletedAt: _deletedAt, ...kept } = originals[i];
      await store.beginImport({ ...kept, id, name, createdAt: Date.now(), status: 'importing' });
      writers.set(i, new BatchWriter(store, id, originals[i].id));
    }
    await readLines(file.stream(), BUNDLE_FILE, {
      manifest: () => undefined,
      record: async (record) => {
        if (record.dataset === null) fileSettings.push({ key: record.value.key as string, value: record.value.value });
        else await writers.get(record.dataset)?.add(record);
      },
      // The file passed the check a moment ago: it changed on disk meanwhile.
      error: (error) => { throw new WorkspaceFileError([error]); },
    }, { signal, onBytes: (bytes) => tracker.report(file.size + bytes) });
    for (const writer of writers.values()) await writer.flush();
    throwIfAborted(signal);
    const ready = await store.finishImports([...writers.values()].map((w) => ({ datasetId: w.newId, settings: w.settings })));
    return {
      datasets: [...writers.keys()].map((i, n) => ({ dataset: ready[n], counts: countsOf(manifest.datasets[i].sections) })),
      skipped: originals.filter((_, i) => names[i] === null).map((d) => d.name),
      settings: await settingChanges(context, fileSettings),
    };
  } catch (error) {
    for (const id of ids) await store.abortImport(id);
    throw error;
  } finally {
    for (const release of releases) release();
  }
}

/** The file's workspace settings that differ from this profile's (a hand-made file's machine settings are dropped). */
async function settingChanges(context: BundleContext, settings: readonly WorkspaceSetting[]): Promise<SettingChange[]> {
  const movable = settings.filter(({ key }) => isWorkspaceSettingKey(key));
  const stored = movable.filter(({ key }) => !key.startsWith(PAGE_SETTING_PREFIX));
  const values = await context.store.getSettings(stored.map(({ key }) => key));
  const current = new Map<string, unknown>([
    ...stored.map(({ key }, i) => [key, values[i]] as const),
    ...context.pageSettings.map(({ key, value }) => [key, value] as const),
  ]);
  return movable.filter(({ key, value }) => !sameValue(value, current.get(key))).map((s) => ({ ...s, current: current.get(s.key) }));
}

function namesDataset(value: unknown, ids: ReadonlySet<string>): boolean {
  if (value === undefined) return false;
  const text = JSON.stringify(encodeValue(value));
  for (const id of ids) if (text.includes(id)) return true;
  return false;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return a === b;
  return JSON.stringify(encodeValue(a)) === JSON.stringify(encodeValue(b));
}
