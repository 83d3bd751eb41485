/**
 * The kiosk's pollutant slide shows the demo's matching job, and nobody stands at an unattended
 * kiosk to press "Match the demo now". So the kiosk runs that same one-click job by itself, once,
 * in the background, and resumes it where a reload (a recovery, an idle reset) cut it short. The
 * idle reset keeps the demo's jobs, so a kiosk profile matches once, not after every visitor.
 */
import type { DatasetRecord } from '../store/records';
import { demoDashboardSettings, listJobs, runJob, verifyJob, type RunJobSettings } from './match-job-client';
import { bundledDemoDatasetId } from './pipeline';

export type KioskDemoJobOutcome =
  /** The active dataset is not the bundled demo: a kiosk on other data matches nothing by itself. */
  | 'not-demo'
  /** A finished job is there already. */
  | 'ready'
  | 'ran'
  | 'resumed';

export async function prepareKioskDemoJob(
  dataset: DatasetRecord, run: Omit<RunJobSettings, 'scope'>, signal: AbortSignal,
): Promise<KioskDemoJobOutcome> {
  if (dataset.id !== await bundledDemoDatasetId()) return 'not-demo';
  const jobs = await listJobs(dataset.id);
  if (jobs.some((job) => job.status === 'done')) return 'ready';
  const ignore = () => undefined;
  const unfinished = jobs[0];
  if (unfinished) {
    await verifyJob(unfinished, run.preferGpu, run.hubHost, signal, ignore);
    return 'resumed';
  }
  await runJob(dataset, demoDashboardSettings(), { ...run, scope: 'techniques' }, signal, ignore, ignore);
  return 'ran';
}
