/**
 * The four preset reports composed from the data, without any model: sentences built from the
 * match table, the pollutant links and the SDG impacts. A kiosk or a machine without a GPU still
 * gets a grounded answer, and with a model loaded the same facts (and tags) are what it is asked
 * to write prose from.
 *
 * Every sentence ends with at least one tag, and every tag cited is of an item the report puts
 * into the context (through the chat's own ChatContext, so tags continue the chat's numbering and
 * the view links them like a model's citations). Text is plain: no Markdown, no HTML.
 */
import type { Catalogue } from '../catalogue/catalogue';
import type { CatalogueSection } from '../catalogue/types';
import type { PatentDetail } from '../dashboard/detail';
import type { Thresholds } from '../dashboard/match-table';
import type { ListOptions, PollutantDetail } from '../dashboard/pollutants';
import type { GoalPollutants, ReachOptions, SdgReach } from '../dashboard/sdg';
import type { SectionPatents } from '../dashboard/tree';
import type { Patent } from '../types';
import { ChatContext, type ContextEntry, type ContextItem, type PatentItem } from './context';
import { patentItem, pollutantItem, sdgItem, sectionItem } from './items';
import { formatNumber, patentLabel, sectionLabel } from './render';

/** What the reports call on the Dashboard (which satisfies it as it is). */
export interface ReportSource {
  readonly table: { readonly catalogue: Catalogue };
  readonly thresholds: Thresholds;
  pollutant(index: number, options?: ListOptions): PollutantDetail;
  section(sectionId: string, options?: ListOptions): SectionPatents;
  patent(patentId: string): PatentDetail | undefined;
  goals(): GoalPollutants[];
  sdg(options?: ReachOptions): SdgReach | null;
}

export type ReportRequest =
  | { report: 'bref-pollutant'; pollutant: number }
  | { report: 'bref-patent'; section: string }
  | { report: 'patent-pollutant'; patent: string }
  /** One pollutant's goals, or (pollutant null) the whole job's. */
  | { report: 'sdg'; pollutant: number | null };

export type ReportName = ReportRequest['report'];

export const REPORT_TITLES: Readonly<Record<ReportName, string>> = {
  'bref-pollutant': 'BREF–pollutant connection',
  'bref-patent': 'BREF–patent synergies',
  'patent-pollutant': 'Patent–pollutant impact',
  sdg: 'SDG impact report',
};

export interface ReportParagraph {
  /** Plain sentences with their tags inline, e.g. `… matches 2 patents [B1].` */
  text: string;
  /** The tags cited in the paragraph, in order, without repeats. */
  citations: string[];
}

export interface Report {
  report: ReportName;
  title: string;
  paragraphs: ReportParagraph[];
  /** The entries the report cites (each put into the context). */
  context: ContextEntry[];
}

export interface ReportOptions {
  /** The chat's context, so tags continue its numbering; a fresh one by default. */
  context?: ChatContext;
  /** Patent records for titles and abstracts; a patent not found is cited by id. */
  patent?: (id: string) => Patent | undefined;
  /** Loaded catalogue texts, carried by the section items into the prompt. */
  sectionText?: (id: string) => string | null | undefined;
  /** Patents (and sections) listed at most (default 5 patents, 20 sections). */
  patentLimit?: number;
  sectionLimit?: number;
}

/** Collects sentences and the entries they cite. */
class Writer {
  readonly paragraphs: ReportParagraph[] = [];
  private readonly used: ContextEntry[] = [];

  constructor(readonly context: ChatContext) {}

  tag(item: ContextItem): string {
    const entry = this.context.add(item, 'report');
    if (!this.used.includes(entry)) this.used.push(entry);
    return entry.tag;
  }

  /** A paragraph of sentences, each `[text, tags]`; a sentence without tags is a bug, not a style. */
  paragraph(...sentences: [text: string, tags: string[]][]): void {
    const citations: string[] = [];
    const texts = sentences.map(([text, tags]) => {
      if (tags.length === 0) throw new Error(`Report sentence without a citation: ${text}`);
      for (const t of tags) if (!citations.includes(t)) citations.push(t);
      return `${text} ${tags.map((t) => `[${t}]`).join('')}.`;
    });
    this.paragraphs.push({ text: texts.join(' '), citations });
  }

  report(report: ReportName, subject: string): Report {
    return { report, title: `${REPORT_TITLES[report]}: ${subject}`, paragraphs: this.paragraphs, context: [...this.used] };
  }
}

/**
 * The question that asks a loaded model to write the report's prose from its facts; send it with
 * buildPrompt and the report's context entries, so the model's citations resolve to the same items.
 */
export function reportQuestion(report: Report): string {
  return [
    `Write the report "${report.title}" as a few short paragraphs from the facts below.`,
    'Keep every number as given and end each sentence with the tags of the facts it uses.',
    ...report.paragraphs.map((p) => `- ${p.text}`),
  ].join('\n');
}

export function composeReport(source: ReportSource, request: ReportRequest, options: ReportOptions = {}): Report {
  const w = new Writer(options.context ?? new ChatContext());
  const facts = new Facts(source, options);
  switch (request.report) {
    case 'bref-pollutant': return brefPollutant(w, facts, request.pollutant);
    case 'bref-patent': return brefPatent(w, facts, request.section);
    case 'patent-pollutant': return patentPollutant(w, facts, request.patent);
    case 'sdg': return sdgReport(w, facts, request.pollutant);
  }
}

/** The items a report cites, built once per report from the dashboard. */
class Facts {
  readonly catalogue: Catalogue;
  readonly relevance: string;
  readonly display: string;
  private goalsCache: GoalPollutants[] | null = null;

  constructor(readonly source: ReportSource, readonly options: ReportOptions) {
    this.catalogue = source.table.catalogue;
    this.relevance = formatNumber(source.thresholds.relevance);
    this.display = formatNumber(Math.max(source.thresholds.relevance, source.thresholds.display));
  }

  get goals(): GoalPollutants[] {
    return (this.goalsCache ??= this.source.goals());
  }

  pollutant(index: number): { item: ContextItem; detail: PollutantDetail } {
    const detail = this.source.pollutant(index, { limit: 0 });
    return { item: pollutantItem(this.catalogue, index, this.goals, detail.patents), detail };
  }

  section(s: CatalogueSection): ContextItem {
    return sectionItem(s, { catalogue: this.catalogue, text: this.options.sectionText?.(s.id) ?? null });
  }

  patent(id: string): PatentItem {
    return patentItem(this.options.patent?.(id) ?? { id });
  }

  name(s: CatalogueSection): string {
    return sectionLabel(s);
  }
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verb for a count: "1 patent abates", "2 patents abate". */
function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** "a", "a and b", "a, b and c". */
function listOf(parts: readonly string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

function score(value: number): string {
  return value.toFixed(2);
}

function brefPollutant(w: Writer, f: Facts, index: number): Report {
  const { item, detail } = f.pollutant(index);
  const l = w.tag(item);
  const name = detail.pollutant.name;
  if (detail.sections.length === 0) {
    w.paragraph([`${name} is linked to no BREF section of the catalogue, so no patent abates it through one`, [l]]);
    return w.report('bref-pollutant', name);
  }
  w.paragraph([`${name} is linked to ${plural(detail.sections.length, 'BREF section')}, and ${plural(detail.patents, 'patent')} ${agree(detail.patents, 'abates', 'abate')} it at relevance ${f.relevance}`, [l]]);
  // Most-matched sections first, catalogue order among equals: where the patents are is the point.
  const counted = detail.sections
    .map((s, at) => ({ s, at, patents: f.source.section(s.id, { limit: 0 }).patents }))
    .sort((a, b) => b.patents - a.patents || a.at - b.at);
  const limit = f.options.sectionLimit ?? 20;
  const sentences = counted.slice(0, limit).map(({ s, patents }): [string, string[]] => {
    const b = w.tag(f.section(s));
    const doc = f.catalogue.document(s.document)?.name;
    const where = doc ? `${f.name(s)} (${doc})` : f.name(s);
    return [patents ? `${where} matches ${plural(patents, 'patent')}` : `${where} matches no patent`, [b]];
  });
  w.paragraph(...sentences);
  if (counted.length > limit) {
    w.paragraph([`${plural(counted.length - limit, 'further linked section')} with fewer matches are listed with the pollutant`, [l]]);
  }
  return w.report('bref-pollutant', name);
}

function brefPatent(w: Writer, f: Facts, sectionId: string): Report {
  const s = f.catalogue.section(sectionId);
  if (!s) throw new RangeError(`Section ${sectionId} is not in the catalogue.`);
  const b = w.tag(f.section(s));
  const listed = f.source.section(sectionId, { limit: f.options.patentLimit ?? 5 });
  const name = f.name(s);
  if (listed.patents === 0) {
    w.paragraph([`No patent matches ${name} at relevance ${f.relevance}`, [b]]);
  } else {
    const shown = listed.shown === listed.patents ? 'all of them' : listed.shown === 0 ? 'none of them' : `${listed.shown} of them`;
    w.paragraph([`${name} is matched by ${plural(listed.patents, 'patent')} at relevance ${f.relevance}, ${shown} at or above the display threshold ${f.display}`, [b]]);
    if (listed.top.length) {
      w.paragraph(...listed.top.map((t): [string, string[]] => {
        const item = f.patent(t.patentId);
        return [`Patent ${patentLabel(item)} scores ${score(t.score)}`, [w.tag(item)]];
      }));
    }
    if (listed.shown > listed.top.length) w.paragraph([`${plural(listed.shown - listed.top.length, 'more patent')} above the display threshold are not listed here`, [b]]);
  }
  const pollutants = s.pollutants.map((p) => ({ name: f.catalogue.pollutants[p].name, tag: w.tag(f.pollutant(p).item) }));
  if (pollutants.length) {
    w.paragraph([`The section is linked to ${listOf(pollutants.map((p) => p.name))}`, [b, ...pollutants.map((p) => p.tag)]]);
  }
  return w.report('bref-patent', name);
}

function patentPollutant(w: Writer, f: Facts, patentId: string): Report {
  const item = f.patent(patentId);
  const p = w.tag(item);
  const label = patentLabel(item);
  const detail = f.source.patent(patentId);
  if (!detail) {
    w.paragraph([`Patent ${label} has no pairs in this matching job, so it abates no pollutant here`, [p]]);
    return w.report('patent-pollutant', patentId);
  }
  const matched = detail.sections.filter((d) => d.matched);
  if (detail.pollutants.length === 0) {
    w.paragraph([`Patent ${label} matches ${plural(matched.length, 'BREF section')} at relevance ${f.relevance}, none of them linked to a pollutant`, [p]]);
    return w.report('patent-pollutant', patentId);
  }
  w.paragraph([`Patent ${label} matches ${plural(matched.length, 'BREF section')} at relevance ${f.relevance} and through them abates ${plural(detail.pollutants.length, 'pollutant')}`, [p]]);
  w.paragraph(...detail.pollutants.map((e): [string, string[]] => {
    const l = w.tag(f.pollutant(e.pollutant.index).item);
    // Every matched section linked to the pollutant, best first (the table's order), not only the best.
    const via = matched.filter((d) => d.section.pollutants.includes(e.pollutant.index));
    const tags = via.map((d) => w.tag(f.section(d.section)));
    const how = listOf(via.map((d) => `${f.name(d.section)} (score ${score(d.score ?? 0)})`));
    return [`It abates ${e.pollutant.name} via ${how}`, [l, ...tags]];
  }));
  return w.report('patent-pollutant', patentId);
}

function sdgReport(w: Writer, f: Facts, pollutant: number | null): Report {
  const goals = f.goals;
  const reach = f.source.sdg({ limit: 0 });
  if (goals.length === 0 || reach === null) throw new RangeError('The SDG impact report needs the SDG impact table; load it first.');
  const sItem = (g: number) => sdgItem(goals[g], { patents: reach.goalPatents[g], reach: reach.goalReach[g] });

  if (pollutant !== null) {
    const { item, detail } = f.pollutant(pollutant);
    const l = w.tag(item);
    const name = detail.pollutant.name;
    const affected = goals
      .map((g, at) => ({ at, impact: g.pollutants.find((e) => e.pollutant.index === pollutant)?.impact ?? 0 }))
      .filter((g) => g.impact > 0)
      .sort((a, b) => b.impact - a.impact || goals[a.at].goal.number - goals[b.at].goal.number);
    if (affected.length === 0) {
      w.paragraph([`${name} has no SDG impact figures`, [l]]);
      return w.report('sdg', name);
    }
    w.paragraph([`${name} affects ${plural(affected.length, 'Sustainable Development Goal')}`, [l]]);
    w.paragraph(...affected.map(({ at, impact }): [string, string[]] => {
      const g = goals[at].goal;
      return [`SDG ${g.number} ${g.title}: impact ${formatNumber(impact)} from ${name}`, [w.tag(sItem(at)), l]];
    }));
    w.paragraph([detail.patents
      ? `${plural(detail.patents, 'patent')} ${agree(detail.patents, 'abates', 'abate')} ${name} at relevance ${f.relevance} and so ${agree(detail.patents, 'reaches', 'reach')} each of these goals`
      : `No patent abates ${name} at relevance ${f.relevance}, so none reaches these goals through it`, [l]]);
    return w.report('sdg', name);
  }

  const withFigures = goals.map((g, at) => ({ g, at })).filter(({ g }) => g.pollutants.length > 0);
  const ordered = [...withFigures].sort((a, b) => reach.goalPatents[b.at] - reach.goalPatents[a.at] || reach.goalReach[b.at] - reach.goalReach[a.at] || a.g.goal.number - b.g.goal.number);
  const tags = new Map(ordered.map(({ at }) => [at, w.tag(sItem(at))]));
  const reached = ordered.filter(({ at }) => reach.goalPatents[at] > 0);
  const all = ordered.map(({ at }) => tags.get(at)!);
  if (all.length === 0) throw new RangeError('The SDG impact table has no figures for any catalogue pollutant.');
  w.paragraph([reach.patents
    ? `${plural(reach.patents, 'patent')} of this job ${agree(reach.patents, 'reaches', 'reach')} ${plural(reached.length, 'goal')} at relevance ${f.relevance}`
    : `No patent of this job reaches any goal at relevance ${f.relevance}`, reach.patents ? reached.map(({ at }) => tags.get(at)!) : all]);
  w.paragraph(...ordered.map(({ g, at }): [string, string[]] => {
    const top = listOf(g.pollutants.slice(0, 3).map((e) => `${e.pollutant.name} (impact ${formatNumber(e.impact)})`));
    const head = `SDG ${g.goal.number} ${g.goal.title}`;
    const n = reach.goalPatents[at];
    return [n
      ? `${head} is reached by ${plural(n, 'patent')} with a summed reach of ${formatNumber(reach.goalReach[at])}; its strongest pollutants are ${top}`
      : `${head} is reached by no patent; its strongest pollutants are ${top}`, [tags.get(at)!]];
  }));
  return w.report('sdg', 'all pollutants');
}
