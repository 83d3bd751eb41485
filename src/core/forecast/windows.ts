/**
 * The three time windows of a forecast: the past the model learns from, the period whose patents
 * give the code vectors (and the candidate codes), and the future where new combinations are scored.
 */
export interface YearRange {
  /** First year, inclusive; -Infinity for "from the beginning". */
  from: number;
  /** Last year, inclusive. */
  to: number;
}

export interface ForecastWindows {
  learn: YearRange;
  embed: YearRange;
  score: YearRange;
}

/** The seed's setting: learn ≤ 2005, embed 2006–2010, score 2011–2015. */
export const DEFAULT_WINDOWS: ForecastWindows = {
  learn: { from: Number.NEGATIVE_INFINITY, to: 2005 },
  embed: { from: 2006, to: 2010 },
  score: { from: 2011, to: 2015 },
};

/**
 * The span the seed's default assumes (USPTO full texts start in 1976): its embedding and scoring
 * windows are each 5 of these 40 years, i.e. one eighth of the data.
 */
const SEED_FIRST_YEAR = 1976;
const SEED_LAST_YEAR = 2015;
const SEED_WINDOW_YEARS = 5;

export function inRange(year: number, range: YearRange): boolean {
  return year >= range.from && year <= range.to;
}

/**
 * Parses `1980-2005,2006-2010,2011-2015` (learn, embed, score). The learning window may be
 * open at the start: `-2005` or `..2005`. Windows must be in order and must not overlap.
 */
export function parseWindows(text: string): ForecastWindows {
  const parts = text.split(',').map((part) => part.trim());
  if (parts.length !== 3) throw new Error(`expected three windows "learn,embed,score", got "${text}"`);
  const [learn, embed, score] = parts.map((part, index) => parseRange(part, index === 0));
  const windows = { learn, embed, score };
  validateWindows(windows);
  return windows;
}

function parseRange(part: string, openStartAllowed: boolean): YearRange {
  const open = /^(?:\.\.|-|≤)\s*(\d{3,4})$/.exec(part);
  if (open && openStartAllowed) return { from: Number.NEGATIVE_INFINITY, to: Number(open[1]) };
  const closed = /^(\d{3,4})\s*(?:-|\.\.|–)\s*(\d{3,4})$/.exec(part);
  if (closed) return { from: Number(closed[1]), to: Number(closed[2]) };
  const single = /^(\d{3,4})$/.exec(part);
  if (single) return { from: Number(single[1]), to: Number(single[1]) };
  throw new Error(`cannot read the year range "${part}" (write 2006-2010${openStartAllowed ? ' or -2005' : ''})`);
}

export function validateWindows(windows: ForecastWindows): void {
  const { learn, embed, score } = windows;
  for (const [name, range] of Object.entries(windows) as [string, YearRange][]) {
    if (range.from > range.to) throw new Error(`the ${name} window ${formatRange(range)} ends before it starts`);
  }
  if (learn.to >= embed.from) throw new Error(`the learning window must end before the embedding window (${formatWindows(windows)})`);
  if (embed.to >= score.from) throw new Error(`the embedding window must end before the scoring window (${formatWindows(windows)})`);
}

export function formatRange(range: YearRange): string {
  if (range.from === Number.NEGATIVE_INFINITY) return `≤${range.to}`;
  return range.from === range.to ? `${range.from}` : `${range.from}-${range.to}`;
}

export function formatWindows(windows: ForecastWindows): string {
  return [windows.learn, windows.embed, windows.score].map(formatRange).join(',');
}

/**
 * The default windows scaled to a dataset spanning firstYear..lastYear: as in the seed, the
 * scoring window is the last eighth of the span, the embedding window the eighth before it and
 * the learning window everything earlier (each window at least one year). A span of exactly
 * 1976–2015 gives the seed's windows; the demo corpus (1980–2020) gives ≤2010, 2011–2015, 2016–2020.
 */
export function scaledDefaultWindows(firstYear: number, lastYear: number): ForecastWindows {
  if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || lastYear - firstYear < 2) {
    throw new Error(`a forecast needs at least three years of data, got ${firstYear}–${lastYear}`);
  }
  const span = lastYear - firstYear + 1;
  const seedSpan = SEED_LAST_YEAR - SEED_FIRST_YEAR + 1;
  const windowYears = Math.max(1, Math.min(Math.floor((span - 1) / 2), Math.round((span * SEED_WINDOW_YEARS) / seedSpan)));
  const score = { from: lastYear - windowYears + 1, to: lastYear };
  const embed = { from: score.from - windowYears, to: score.from - 1 };
  return { learn: { from: Number.NEGATIVE_INFINITY, to: embed.from - 1 }, embed, score };
}

/**
 * Why a model must not be used for a forecast scored on `windows`, or null when it may: a model
 * that saw patents of the scoring years (or says nothing of its training years) has seen the
 * combinations it is asked to predict.
 */
export function trainingLeak(untilYear: number | null | undefined, windows: ForecastWindows, modelName: string): string | null {
  if (untilYear === null || untilYear === undefined) {
    return `${modelName} does not state the last year of its training data (until_year), so it may have seen the scoring window ${formatRange(windows.score)}: its AUC may be optimistic.`;
  }
  if (untilYear >= windows.score.from) {
    return `${modelName} was trained on patents up to ${untilYear}, which reaches into the scoring window ${formatRange(windows.score)}: its AUC is optimistic. Use a model trained up to ${windows.score.from - 1} at most.`;
  }
  return null;
}
