/**
 * The whole-workspace Patent Space file: every dataset with everything kept with it (as in a
 * dataset file, format.ts) plus the workspace's own settings, in the same line format, so one
 * reader and one checker (reader.ts) serve both.
 *
 * Line 1 is the workspace manifest: format, version, app version, and per dataset its record and
 * the count and SHA-256 of each kind of its records (checksum.ts), plus one section for the
 * workspace's settings. Every later line is `{"kind": ..., "dataset": n, "value": ...}`, where n is
 * the dataset's place in the manifest's list; a `setting` line without `dataset` is a workspace
 * setting (see WorkspaceSetting). Lines may come in any order.
 */
import { RECORD_KINDS, type EncodedValue, type SectionSummary, type WorkspaceManifest } from './format';
import { isObject, sectionsProblem, type LineFormat } from './reader';

export const BUNDLE_FORMAT = 'patent-space-workspace';
export const BUNDLE_VERSION = 1;

/** One dataset of a workspace file, described as a dataset file's manifest describes its dataset. */
export type BundleDataset = Pick<WorkspaceManifest, 'dataset' | 'sections'>;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  version: number;
  appVersion: string;
  /** Milliseconds since the epoch. */
  exportedAt: number;
  datasets: BundleDataset[];
  /** The workspace settings' lines. */
  settings: SectionSummary;
}

/**
 * A workspace setting: a key of the settings store, or `page:<name>` for one the page keeps
 * elsewhere (private mode, in localStorage), with its value as stored.
 */
export interface WorkspaceSetting {
  key: string;
  value: unknown;
}

/** The key prefix of a setting the page keeps itself (not in IndexedDB). */
export const PAGE_SETTING_PREFIX = 'page:';

/** The whole-workspace file for reader.ts: records name a listed dataset, except workspace settings. */
export const BUNDLE_FILE: LineFormat<BundleManifest> = {
  parseManifest: parseBundleManifest,
  misplaced: (record, manifest) => {
    if (record.dataset === null) return record.kind === 'setting' ? null : `the ${record.kind} record names no dataset`;
    return record.dataset < manifest.datasets.length ? null : `the ${record.kind} record names dataset ${record.dataset}, which the manifest does not list`;
  },
  groups: (manifest) => [
    ...manifest.datasets.map((entry, i) => ({ dataset: i, label: ` of dataset ${i + 1} (“${datasetName(entry.dataset)}”)`, sections: entry.sections })),
    { dataset: null, label: ' of the workspace', sections: { setting: manifest.settings } },
  ],
};

function datasetName(dataset: EncodedValue): string {
  return isObject(dataset) && typeof dataset.name === 'string' ? dataset.name : '?';
}

/** The workspace manifest, or why line 1 is not one. */
export function parseBundleManifest(text: string): BundleManifest | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'the first line is not JSON, so this is not a Patent Space workspace file';
  }
  if (!isObject(parsed) || parsed.format !== BUNDLE_FORMAT) return 'the first line is not a Patent Space workspace manifest';
  if (parsed.version !== BUNDLE_VERSION) {
    return `the file is workspace format version ${String(parsed.version)}; this app reads version ${BUNDLE_VERSION}`;
  }
  if (!Array.isArray(parsed.datasets)) return 'the manifest has no list of datasets';
  for (const [i, entry] of (parsed.datasets as unknown[]).entries()) {
    if (!isObject(entry) || !isObject(entry.dataset) || typeof entry.dataset.id !== 'string' || typeof entry.dataset.name !== 'string') {
      return `the manifest's dataset ${i + 1} has no dataset record`;
    }
    const problem = sectionsProblem(entry.sections, RECORD_KINDS, `the manifest's dataset ${i + 1}:`);
    if (problem) return problem;
  }
  const problem = sectionsProblem({ setting: parsed.settings }, ['setting'], "the manifest's workspace");
  return problem ?? (parsed as unknown as BundleManifest);
}

/**
 * Settings that belong to this machine and profile, not to the user's way of working, and so
 * never travel: `activeDatasetId` names a dataset of this profile (the receiving profile keeps its
 * own choice), and `bundledDemoDatasetId` says which dataset is this profile's own copy of the
 * bundled demo, whose shipped vectors the app trusts (a file's dataset must not claim that).
 */
const MACHINE_SETTINGS: ReadonlySet<string> = new Set(['activeDatasetId', 'bundledDemoDatasetId']);
/** Dataset ids are UUIDs: a key holding one belongs to a dataset (perhaps one since deleted). */
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/**
 * Whether a settings key is a workspace setting: not machine-specific, and naming no dataset
 * (those travel with their dataset, as in a dataset file, or not at all).
 */
export function isWorkspaceSettingKey(key: string, datasetIds: ReadonlySet<string> = new Set()): boolean {
  if (MACHINE_SETTINGS.has(key) || UUID.test(key)) return false;
  for (const id of datasetIds) if (key.includes(id)) return false;
  return true;
}
