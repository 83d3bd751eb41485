/**
 * Reader for EPO XML: publication-server ST.36 documents (`ep-patent-document`, INID-coded fields
 * such as B110/B140/B542) and DOCDB exchange files (`exchange-documents` holding many
 * `exchange-document`s). Either may come one per file, concatenated (`<?xml …?>` repeated), or
 * wrapped in any root element: every document element found anywhere becomes one record.
 *
 * Elements are matched on local names, so `exch:` or any other prefix works. Fields come from
 * fixed paths (see `captureFor`); text elsewhere, including the full description, is never kept.
 */
import { joinClassificationParts } from '../codes';
import { hasValidCode, NO_TITLE_WARNING } from './presets';
import { type PatentReader, type RawPatent, type ReadBatch, type RowError } from './types';
import { XmlEventStream, type XmlHandlers } from './xml-events';
import { NotAPatentFileError } from '../errors';

const DOCUMENT_ELEMENTS = new Set(['ep-patent-document', 'exchange-document']);
/** Where reading resumes after malformed markup: the start tag of the next document, any prefix. */
const DOCUMENT_START = /<(?:[A-Za-z_][\w.-]*:)?(?:ep-patent-document|exchange-document)(?=[\s/>])/g;
/** Input read without meeting a document element before we decide the file is not EPO XML. */
const MAX_CHARS_BEFORE_FIRST_DOCUMENT = 4_000_000;
/** Real documents nest < 20 deep; the cap keeps end-tag matching (a stack search) cheap on garbage. */
const MAX_NESTING = 256;
/** Older ST.36 IPC fields: main, further, additional, index, unlinked index (B516 is the edition). */
const INID_IPC_FIELDS = new Set(['B511', 'B512', 'B513', 'B514', 'B515']);
/** Inside a captured field these start a new paragraph (joined with '\n'); others are inline. */
const BLOCK_ELEMENTS = new Set(['p', 'claim', 'claim-text', 'heading', 'li']);
const CLASSIFICATION_PARTS = new Set(['section', 'class', 'subclass', 'main-group', 'subgroup', 'classification-symbol']);

type Field =
  | 'country' | 'number' | 'kind' | 'date' // from the publication number / date elements
  | 'titleLang' | 'title' | 'abstract' | 'claims' | 'code' | 'classPart';

/** The field an element's text feeds, given the element and its parent and grandparent names. */
function captureFor(name: string, parent: string, grandparent: string): Field | null {
  switch (name) {
    case 'B190': return 'country';
    case 'B110': return 'number';
    case 'B130': return 'kind';
    case 'B541': return 'titleLang';
    case 'B542': case 'invention-title': return 'title';
    case 'abstract': return 'abstract';
    case 'claims': return 'claims';
  }
  if (INID_IPC_FIELDS.has(name)) return 'code';
  if (name === 'text' && (parent === 'classification-ipcr' || parent === 'classification-cpc')) return 'code';
  if ((name === 'main-classification' || name === 'further-classification') && parent === 'classification-ipc') return 'code';
  if (parent === 'patent-classification' && CLASSIFICATION_PARTS.has(name)) return 'classPart';
  if (name === 'date' && parent === 'B140') return 'date';
  if (parent === 'document-id' && grandparent === 'publication-reference') {
    if (name === 'date') return 'date';
    if (name === 'country') return 'country';
    if (name === 'doc-number') return 'number';
    if (name === 'kind') return 'kind';
  }
  return null;
}

/** Keeps the English variant of a multilingual field, else the first one offered. */
class PreferEnglish {
  value: string | undefined;
  private english = false;
  wants(lang: string): boolean {
    return !this.english && (isEnglish(lang) || this.value === undefined);
  }
  offer(lang: string, text: string): void {
    if (text === '' || !this.wants(lang)) return;
    this.value = text;
    this.english = isEnglish(lang);
  }
}

const isEnglish = (lang: string): boolean => lang.trim().toLowerCase() === 'en';
/** `exch:exchange-document` → `exchange-document`: elements are matched on local names. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}
const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** One document being read: which fields it has so far, and the text being captured now. */
class DocumentBuilder {
  private readonly id: Partial<Record<'country' | 'number' | 'kind' | 'date', string>> = {};
  private readonly title = new PreferEnglish();
  private readonly abstract = new PreferEnglish();
  private readonly claims = new PreferEnglish();
  private readonly codes: string[] = [];
  /**
   * The field whose text is being collected (one at a time: fields do not nest), the stack depth
   * whose end tag ends it, its key (language, or the part name for a classPart) and paragraphs.
   */
  private capture: { field: Field; depth: number; key: string; blocks: string[][] } | null = null;
  private titleLang = '';
  /** Parts of the open `patent-classification` (DOCDB), assembled when it closes. */
  private classParts: Record<string, string> | null = null;
  private problem = '';

  constructor(
    readonly line: number,
    private readonly element: string,
    private readonly attributes: Readonly<Record<string, string>>,
  ) {}

  /** Keeps the first problem: later ones are usually consequences of it. */
  malformed(message: string, line: number): void {
    if (this.problem === '') this.problem = `malformed XML: ${message} (line ${line})`;
  }

  get isMalformed(): boolean {
    return this.problem !== '';
  }

  open(name: string, attributes: Readonly<Record<string, string>>, stack: readonly string[]): void {
    if (this.capture) {
      if (BLOCK_ELEMENTS.has(name)) this.capture.blocks.push([]);
      return;
    }
    if (name === 'patent-classification') this.classParts = {};
    if (name === 'classification-scheme' && this.classParts) this.classParts.scheme = attributes.scheme ?? '';
    const field = captureFor(name, stack[stack.length - 2] ?? '', stack[stack.length - 3] ?? '');
    if (field === null) return;
    const lang = field === 'title' && name === 'B542' ? this.titleLang : (attributes.lang ?? '');
    const target = field === 'title' ? this.title : field === 'abstract' ? this.abstract : field === 'claims' ? this.claims : null;
    if (target && !target.wants(lang)) return; // e.g. German claims once English ones are in
    this.capture = { field, depth: stack.length, key: field === 'classPart' ? name : lang, blocks: [[]] };
  }

  text(text: string): void {
    this.capture?.blocks[this.capture.blocks.length - 1].push(text);
  }

  /** `depth` is the stack length before the element is popped. */
  close(name: string, depth: number): void {
    const capture = this.capture;
    if (capture && depth === capture.depth) {
      this.capture = null;
      this.store(capture.field, capture.key, capture.blocks);
    } else if (capture && BLOCK_ELEMENTS.has(name)) {
      capture.blocks.push([]);
    } else if (name === 'patent-classification' && this.classParts) {
      const parts = this.classParts;
      this.classParts = null;
      if (parts.scheme === undefined || /^(CPC|IPC)/i.test(parts.scheme)) {
        const code = parts['classification-symbol']
          || joinClassificationParts(parts.section ?? '', parts.class ?? '', parts.subclass ?? '', parts['main-group'] ?? '', parts.subgroup ?? '');
        if (code) this.codes.push(code);
      }
    }
  }

  private store(field: Field, key: string, blocks: string[][]): void {
    let text: string;
    if (field === 'title' || field === 'abstract' || field === 'claims') {
      text = blocks.map((b) => collapse(b.join(''))).filter((p) => p !== '').join(field === 'title' ? ' ' : '\n');
    } else {
      // Codes stay as written (`H04L  27/26        20060101AFI…` is fixed-width): only trimmed.
      text = blocks.map((b) => b.join('')).join('').trim();
    }
    switch (field) {
      case 'title': this.title.offer(key, text); break;
      case 'abstract': this.abstract.offer(key, text); break;
      case 'claims': this.claims.offer(key, text); break;
      case 'titleLang': this.titleLang = text; break;
      case 'code': if (text !== '') this.codes.push(text); break;
      case 'classPart': if (this.classParts) this.classParts[key] = text; break;
      default: if (text !== '' && this.id[field] === undefined) this.id[field] = text; // first one wins
    }
  }

  /**
   * The finished record, or why it cannot be one. `truncation` is set when the end tag never came.
   * A document without a title but with codes still counts in co-occurrence: its title is ''.
   */
  finish(truncation?: string): RawPatent | string {
    if (this.problem !== '') return this.problem;
    if (truncation) return truncation;
    const a = this.attributes;
    const country = a.country || this.id.country || (this.element === 'ep-patent-document' ? 'EP' : '');
    const number = (a['doc-number'] || this.id.number || '').replace(/\s+/g, '');
    if (number === '') return 'no publication number';
    const id = `${country.trim()}${number}${(a.kind || this.id.kind || '').trim()}`;
    const title = this.title.value;
    if (title === undefined && !hasValidCode(this.codes)) return 'no title';
    const date = this.id.date || a['date-publ'] || '';
    const year = /^\d{4}/.test(date) ? Number(date.slice(0, 4)) : NaN;
    if (!(year >= 1800 && year <= 2100)) return date === '' ? 'bad year' : `bad year "${date}"`;
    const patent: RawPatent = { line: this.line, id, year, title: title ?? '', rawCodes: this.codes };
    if (this.abstract.value !== undefined) patent.abstract = this.abstract.value;
    if (this.claims.value !== undefined) patent.claims = this.claims.value;
    return patent;
  }
}

export class EpoXmlPatentReader implements PatentReader, XmlHandlers {
  private readonly xml = new XmlEventStream(this, DOCUMENT_START);
  /** Local names of the open elements, from the file's root down. */
  private readonly stack: string[] = [];
  private doc: DocumentBuilder | null = null;
  /** Elements opened beyond MAX_NESTING and not yet closed: counted, not stacked. */
  private overflow = 0;
  /** Index in `stack` of the open document's element. */
  private docIndex = -1;
  private documents = 0;
  private rootElement = '';
  private charsRead = 0;
  private sawMarkup = false;
  private batch: ReadBatch = { patents: [], errors: [] };

  constructor(private readonly fileName: string) {}

  /** Counted work so far: characters parsed and characters searched after malformed markup. */
  get work(): { charsParsed: number; charsSearched: number } {
    return { charsParsed: this.xml.charsParsed, charsSearched: this.xml.charsSearched };
  }

  push(chunk: string): ReadBatch {
    this.checkLooksLikeXml(chunk);
    this.xml.push(chunk);
    if (this.documents === 0 && this.doc === null && this.charsRead > MAX_CHARS_BEFORE_FIRST_DOCUMENT) {
      throw this.notEpo(`no ep-patent-document or exchange-document in the first ${MAX_CHARS_BEFORE_FIRST_DOCUMENT} characters`);
    }
    return this.takeBatch();
  }

  end(): ReadBatch {
    this.xml.end();
    if (this.doc) this.finishDocument(`truncated document: the file ends before </${this.stack[this.docIndex]}>`);
    if (this.documents === 0) throw this.notEpo('no ep-patent-document or exchange-document element');
    return this.takeBatch();
  }

  /** Anything whose first non-blank character is not '<' (CSV, JSON, …) is not XML at all. */
  private checkLooksLikeXml(chunk: string): void {
    this.charsRead += chunk.length;
    if (this.sawMarkup) return;
    const first = chunk.replace(/^[\s\uFEFF]+/, '')[0];
    if (first === undefined) return;
    if (first !== '<') throw this.notEpo('it is not XML (first character is not "<")');
    this.sawMarkup = true;
  }

  private notEpo(detail: string): NotAPatentFileError {
    const root = this.rootElement ? ` (root element <${this.rootElement}>)` : '';
    return new NotAPatentFileError(this.fileName, `${detail}${root}; expected EPO ST.36 or DOCDB XML`);
  }

  /** @internal XmlHandlers, called by the event stream. */
  text(text: string): void {
    this.doc?.text(text);
  }

  /** @internal */
  error(message: string, line: number): void {
    if (this.doc) this.doc.malformed(message, line);
    else this.outsideError(message, line);
    this.skipIfMalformed();
  }

  /** A document already known to be bad is not read further: reading resumes at the next document. */
  private skipIfMalformed(): void {
    if (this.doc?.isMalformed) this.xml.skipToResume();
  }

  private outsideError(message: string, line: number): void {
    this.batch.errors.push({ line, reason: `malformed XML outside a patent document: ${message}`, file: this.fileName });
  }

  /** @internal */
  open(written: string, attributes: Readonly<Record<string, string>>, line: number): void {
    this.openElement(localName(written), attributes, line);
    this.skipIfMalformed();
  }

  /** @internal */
  close(written: string, line: number): void {
    this.closeElement(localName(written), line);
    this.skipIfMalformed();
  }

  private openElement(name: string, attributes: Readonly<Record<string, string>>, line: number): void {
    if (this.rootElement === '') this.rootElement = name;
    if (DOCUMENT_ELEMENTS.has(name)) {
      if (this.doc) {
        this.finishDocument(`truncated document: a new <${name}> starts at line ${line} before </${this.stack[this.docIndex]}>`);
      }
      this.doc = new DocumentBuilder(line, name, attributes);
      this.docIndex = this.stack.length;
      this.documents++;
      this.stack.push(name);
      return;
    }
    if (this.stack.length >= MAX_NESTING) {
      const message = `elements nested more than ${MAX_NESTING} deep`;
      if (this.doc) this.doc.malformed(message, line);
      else if (this.overflow === 0) this.outsideError(message, line);
      this.overflow++;
      return;
    }
    this.stack.push(name);
    this.doc?.open(name, attributes, this.stack);
  }

  /** Matches the end tag to the nearest open element of that name, closing any left open. */
  private closeElement(name: string, line: number): void {
    if (this.overflow > 0 && !(this.doc && name === this.stack[this.docIndex])) {
      this.overflow--; // pairs with an element too deep to track (the document is already marked)
      return;
    }
    const index = this.stack.lastIndexOf(name);
    if (index < 0) {
      this.doc?.malformed(`unexpected </${name}>`, line);
      return;
    }
    if (this.doc && index < this.docIndex) {
      // e.g. </exchange-documents> while a document is still open: that document was cut short.
      this.finishDocument(`truncated document: </${name}> at line ${line} before </${this.stack[this.docIndex]}>`);
    } else {
      if (this.doc && index < this.stack.length - 1) this.doc.malformed(`</${name}> closes <${this.stack[this.stack.length - 1]}> too`, line);
      if (this.doc && index === this.docIndex) this.finishDocument();
      else for (let depth = this.stack.length; depth > index; depth--) this.doc?.close(this.stack[depth - 1], depth);
    }
    this.stack.length = index;
  }

  private finishDocument(truncation?: string): void {
    const doc = this.doc;
    if (!doc) return;
    this.stack.length = this.docIndex; // drop whatever the document left open
    this.overflow = 0;
    this.doc = null;
    const result = doc.finish(truncation);
    if (typeof result === 'string') {
      this.batch.errors.push({ line: doc.line, reason: result, file: this.fileName } satisfies RowError);
    } else {
      this.batch.patents.push(result);
      if (result.title === '') (this.batch.warnings ??= []).push({ line: doc.line, reason: NO_TITLE_WARNING, file: this.fileName });
    }
  }

  private takeBatch(): ReadBatch {
    const batch = this.batch;
    this.batch = { patents: [], errors: [] };
    return batch;
  }
}
