/** One progress shape for every long task; `done` only grows and ends at `total`. */
export type ProgressStage = 'load' | 'parse' | 'embed' | 'aggregate' | 'similarity' | 'match' | 'forecast' | 'layout';
export type ProgressUnit = 'bytes' | 'rows' | 'patents' | 'codes' | 'rows-of-matrix' | 'files' | 'pairs' | 'epochs';

export interface Progress {
  stage: ProgressStage;
  done: number;
  total: number;
  unit: ProgressUnit;
  etaSeconds?: number;
  /** Units per second so far (bytes/s while parsing). */
  rate?: number;
  /** Records handled so far, when the unit is bytes (rows read while parsing). */
  rows?: number;
}

export type ProgressCallback = (progress: Progress) => void;

/** Turns (done, total) ticks into monotone Progress events with an ETA from the mean rate so far. */
export class ProgressTracker {
  private readonly startedAt: number;
  private lastDone = 0;

  constructor(
    private readonly stage: ProgressStage,
    private readonly unit: ProgressUnit,
    private readonly total: number,
    private readonly onProgress: ProgressCallback | undefined,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  report(done: number, rows?: number): void {
    this.lastDone = Math.min(this.total, Math.max(this.lastDone, done));
    if (!this.onProgress) return;
    const elapsedSeconds = (this.now() - this.startedAt) / 1000;
    const rate = this.lastDone / Math.max(elapsedSeconds, 1e-6);
    const remaining = this.total - this.lastDone;
    const etaSeconds = this.lastDone > 0 ? remaining / rate : undefined;
    this.onProgress({ stage: this.stage, done: this.lastDone, total: this.total, unit: this.unit, etaSeconds, rate, rows });
  }

  finish(rows?: number): void {
    this.report(this.total, rows);
  }
}
