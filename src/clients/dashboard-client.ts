/**
 * The page's side of the pollution dashboard (engine in the compute worker): which jobs it can
 * show, and every list, tree and chart of one job. Thresholds are kept in settings.
 */
import type * as Comlink from 'comlink';
import { BUNDLED_CATALOGUE_PATH } from '../core/catalogue/format';
import type {
  BrefTreeNode, GoalPollutants, PatentDetail, PollutantDetail, PollutantRow, SdgReach, SectionPatents, Thresholds, TreeOptions,
} from '../core/dashboard/dashboard';
import { DEFAULT_THRESHOLDS } from '../core/dashboard/match-table';
import type { PatentRelevance, RelevanceTarget } from '../core/dashboard/relevance';
import type { MatchJobRecord } from '../core/match-job/types';
import { SDG_IMPACTS_PATH } from '../core/reference/types';
import type { Patent } from '../core/types';
import type { DashboardEngine, DashboardSummary, PatentLabel, SelectionInput } from '../engines/dashboard-engine';
import { dashboardWorker } from './clients';
import { datasetStore } from './store-client';

export type { PatentRelevance, RelevanceTarget };
export type { BrefTreeNode, DashboardSummary, GoalPollutants, MatchJobRecord, Patent, PatentDetail, PatentLabel, PollutantDetail, PollutantRow, SdgReach, SectionPatents, SelectionInput, Thresholds, TreeOptions };
export { DEFAULT_THRESHOLDS };

const THRESHOLDS_KEY = 'dashboardThresholds';

/** Runs `use` once the worker knows the bundled files' absolute URLs (never returns the remote itself). */
async function withEngine<R>(use: (remote: Comlink.Remote<DashboardEngine>) => Promise<R>): Promise<R> {
  const remote = dashboardWorker.get();
  await remote.setSources({ catalogueUrl: new URL(BUNDLED_CATALOGUE_PATH, location.href).href, sdgUrl: new URL(SDG_IMPACTS_PATH, location.href).href });
  return use(remote);
}

export function dashboardJobs(datasetId: string): Promise<MatchJobRecord[]> {
  return withEngine((r) => r.jobs(datasetId));
}

export function openDashboard(datasetId: string, jobId: string, thresholds: Thresholds): Promise<DashboardSummary> {
  return withEngine((r) => r.open(datasetId, jobId, thresholds));
}

export async function savedThresholds(): Promise<Thresholds> {
  return { ...DEFAULT_THRESHOLDS, ...((await (await datasetStore()).getSetting<Thresholds>(THRESHOLDS_KEY)) ?? {}) };
}

export async function setThresholds(thresholds: Thresholds): Promise<Thresholds> {
  const applied = await withEngine((r) => r.setThresholds(thresholds));
  await (await datasetStore()).setSetting(THRESHOLDS_KEY, applied);
  return applied;
}

export function pollutantRows(query: string, selection: SelectionInput): Promise<PollutantRow[]> {
  return withEngine((r) => r.pollutants(query, selection));
}

export function pollutantPage(index: number, selection: SelectionInput): Promise<PollutantDetail & { labels: PatentLabel[] }> {
  return withEngine((r) => r.pollutant(index, selection));
}

export function brefTree(options: TreeOptions, selection: SelectionInput): Promise<BrefTreeNode[]> {
  return withEngine((r) => r.tree(options, selection));
}

export function sectionPage(sectionId: string, selection: SelectionInput): Promise<SectionPatents & { labels: PatentLabel[] }> {
  return withEngine((r) => r.section(sectionId, selection));
}

export function sdgGoals(): Promise<GoalPollutants[]> {
  return withEngine((r) => r.goals());
}

export function sdgReach(selection: SelectionInput): Promise<(SdgReach & { labels: PatentLabel[] }) | null> {
  return withEngine((r) => r.sdg(selection));
}

/** Per patent of the dataset's newest job, its relevance to a pollutant or section (null without a job). */
export function patentRelevance(datasetId: string, target: RelevanceTarget): Promise<(PatentRelevance & { relevance: number; jobId: string }) | null> {
  return withEngine((r) => r.relevance(datasetId, target));
}

export function patentPage(patentId: string): Promise<{ patent: Patent; detail: PatentDetail | null } | null> {
  return withEngine((r) => r.patent(patentId));
}
