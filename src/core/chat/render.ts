/**
 * An item as plain text: a head line (what it is, in one line) and a body (its real text: the
 * abstract, the section's text, the SDG rows). The prompt sends both and may shorten the body;
 * the Markdown export escapes both. One renderer for both, so what an export shows as a cited
 * source is what the model was given.
 */
import type { ContextEntry, ContextItem } from './context';

export interface RenderedItem {
  /** One line, always sent whole. */
  head: string;
  /** Lines of facts (codes, linked sections, impacts), most telling first. */
  facts: string[];
  /** The long free text (abstract, section text); '' when none. */
  text: string;
}

export function formatNumber(value: number, digits = 2): string {
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

export function sectionLabel(s: { document: string; number: string; title: string }): string {
  return `${s.document} ${s.number} ${s.title}`;
}

export function patentLabel(p: { id: string; title: string | null }): string {
  return p.title ? `${p.id} "${p.title}"` : p.id;
}

/** How an item is named in a sentence (reports, the export's source list). */
export function itemLabel(item: ContextItem): string {
  switch (item.kind) {
    case 'patent': return `patent ${patentLabel(item)}`;
    case 'section': return `BREF section ${sectionLabel(item)}`;
    case 'pollutant': return item.name;
    case 'sdg': return `SDG ${item.number} ${item.title}`;
    case 'code': return item.title ? `${item.id} (${item.title})` : item.id;
    case 'forecast': return `${item.codes[0]} + ${item.codes[1]}`;
  }
}

export function renderItem(item: ContextItem): RenderedItem {
  switch (item.kind) {
    case 'patent': {
      const year = item.year !== null ? ` (${item.year})` : '';
      const facts = item.codes.length ? [`Codes: ${item.codes.join(', ')}`] : [];
      return { head: `Patent ${item.id}${year}: ${item.title ?? '(title not loaded)'}`, facts, text: item.abstract ? `Abstract: ${item.abstract}` : '' };
    }
    case 'section': {
      const facts: string[] = [];
      if (item.documentName) facts.push(`Document: ${item.document} (${item.documentName})`);
      if (item.path.length > 1) facts.push(`Path: ${item.path.join(' > ')}`);
      if (item.pollutants.length) facts.push(`Pollutants linked: ${item.pollutants.join('; ')}`);
      return { head: `BREF section ${sectionLabel(item)}`, facts, text: item.text ? `Text: ${item.text}` : '' };
    }
    case 'pollutant': {
      // The section list goes last: a common pollutant has hundreds, and truncation cuts from the end.
      const facts = [
        item.goals.length
          ? `SDG impacts: ${item.goals.map((g) => `SDG ${g.number} ${g.title}: ${formatNumber(g.impact)}`).join('; ')}`
          : 'SDG impacts: no figures',
      ];
      if (item.patents !== null) facts.push(`Patents abating it: ${item.patents}`);
      facts.push(item.sections.length
        ? `Linked BREF sections: ${item.sections.map(sectionLabel).join('; ')}`
        : 'Linked BREF sections: none in the catalogue');
      return { head: `Pollutant ${item.name}`, facts, text: '' };
    }
    case 'sdg': {
      const facts: string[] = [];
      if (item.patents !== null) facts.push(`Patents reaching it: ${item.patents}; summed reach: ${formatNumber(item.reach ?? 0)}`);
      facts.push(item.pollutants.length
        ? `Pollutants affecting it (impact): ${item.pollutants.map((p) => `${p.name}: ${formatNumber(p.impact)}`).join('; ')}`
        : 'Pollutants affecting it: none with figures');
      return { head: `SDG ${item.number} ${item.title}`, facts, text: '' };
    }
    case 'code':
      return { head: `Technology code ${item.id}: ${item.title ?? '(title not loaded)'}`, facts: [], text: '' };
    case 'forecast': {
      const [a, b] = item.codes;
      const name = (code: string, title: string | null) => (title ? `${code} (${title})` : code);
      return {
        head: `Forecast pair ${name(a, item.titles[0])} + ${name(b, item.titles[1])}`,
        facts: [`Forecast score: ${formatNumber(item.score, 3)}`],
        text: '',
      };
    }
  }
}

/** Everything below the head line: the part truncation shortens, from its end. */
export function itemBody(rendered: RenderedItem): string {
  return [...rendered.facts, ...(rendered.text ? [rendered.text] : [])].join('\n');
}

/** The entry as the prompt writes it: `[TAG] head`, then the body (or a shortened one). */
export function entryText(entry: ContextEntry, body: string = itemBody(renderItem(entry.item))): string {
  const head = `[${entry.tag}] ${renderItem(entry.item).head}`;
  return body ? `${head}\n${body}` : head;
}
