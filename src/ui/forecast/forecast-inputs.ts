/**
 * The Forecast view's form as typed, and its reading into forecast settings: year windows (an
 * empty learning start means "from the first year"), the label rule with an optional z or p
 * threshold. Reading throws an Error whose message says which field to fix.
 */
import { BASELINES, type BaselineName } from '../../core/forecast/baselines';
import type { LabelRule } from '../../core/forecast/null-model';
import { scaledDefaultWindows, validateWindows, type ForecastWindows } from '../../core/forecast/windows';
import { FORECAST_METHODS, type ForecastMethod } from '../../core/settings/forecast';
import type { CodeLevel } from '../../core/types';

/** The six year inputs as typed ('' = open start, only for the learning window). */
export interface WindowInputs {
  learnFrom: string; learnTo: string; embedFrom: string; embedTo: string; scoreFrom: string; scoreTo: string;
}

export type ThresholdKind = 'none' | 'z' | 'p';

export interface ForecastForm {
  windows: WindowInputs;
  level: CodeLevel;
  labelMode: LabelRule['mode'];
  thresholdKind: ThresholdKind;
  thresholdValue: string;
  methods: readonly ForecastMethod[];
  baselines: readonly BaselineName[];
  /** Embed on WASM even when WebGPU is on (the cosines still follow the WebGPU setting). */
  encoderOnWasm: boolean;
}

export const EMPTY_WINDOWS: WindowInputs = { learnFrom: '', learnTo: '', embedFrom: '', embedTo: '', scoreFrom: '', scoreTo: '' };

export function initialForm(level: CodeLevel): ForecastForm {
  return {
    windows: EMPTY_WINDOWS, level, labelMode: 'above-null', thresholdKind: 'none', thresholdValue: '',
    methods: FORECAST_METHODS, baselines: BASELINES, encoderOnWasm: false,
  };
}

/** The default windows for a dataset's years, as the inputs show them. */
export function defaultWindowInputs(firstYear: number, lastYear: number): WindowInputs {
  const w = scaledDefaultWindows(firstYear, lastYear);
  return {
    learnFrom: Number.isFinite(w.learn.from) ? String(w.learn.from) : '', learnTo: String(w.learn.to),
    embedFrom: String(w.embed.from), embedTo: String(w.embed.to),
    scoreFrom: String(w.score.from), scoreTo: String(w.score.to),
  };
}

/** The windows as typed, or an Error saying which year is missing or why they do not fit together. */
export function windowsFromInputs(i: WindowInputs): ForecastWindows {
  const year = (value: string, name: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n)) throw new Error(`Enter a year for ${name}.`);
    return n;
  };
  const windows: ForecastWindows = {
    learn: { from: i.learnFrom.trim() === '' ? Number.NEGATIVE_INFINITY : year(i.learnFrom, 'the start of the learning window'), to: year(i.learnTo, 'the end of the learning window') },
    embed: { from: year(i.embedFrom, 'the start of the embedding window'), to: year(i.embedTo, 'the end of the embedding window') },
    score: { from: year(i.scoreFrom, 'the start of the scoring window'), to: year(i.scoreTo, 'the end of the scoring window') },
  };
  validateWindows(windows);
  return windows;
}

export function labelRule(form: Pick<ForecastForm, 'labelMode' | 'thresholdKind' | 'thresholdValue'>): LabelRule {
  if (form.labelMode === 'at-least-once') return { mode: 'at-least-once' };
  const value = Number(form.thresholdValue);
  if (form.thresholdKind === 'none' || form.thresholdValue.trim() === '') return { mode: 'above-null' };
  if (!Number.isFinite(value)) throw new Error(`The ${form.thresholdKind} threshold must be a number.`);
  if (form.thresholdKind === 'p' && !(value > 0 && value <= 1)) throw new Error('The p threshold must lie in (0, 1].');
  return form.thresholdKind === 'z' ? { mode: 'above-null', minZ: value } : { mode: 'above-null', maxP: value };
}

export function labelText(rule: LabelRule): string {
  if (rule.mode === 'at-least-once') return 'combined at least once';
  const extra = [rule.minZ !== undefined ? `z ≥ ${rule.minZ}` : '', rule.maxP !== undefined ? `p ≤ ${rule.maxP}` : ''].filter(Boolean);
  return `above the null model${extra.length ? `, ${extra.join(', ')}` : ''}`;
}

/** The id of a window input: learnFrom → fc-learn-from. */
export function windowInputId(key: keyof WindowInputs): string {
  return `fc-${key.replace(/[A-Z]/, (c) => `-${c.toLowerCase()}`)}`;
}
