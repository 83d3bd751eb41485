/**
 * A patent with a year and codes but no title still links its codes (co-occurrence), so every
 * reader keeps it with a warning; one with neither a title nor a valid code stays an error.
 */
import { describe, expect, it } from 'vitest';
import { readAll } from './chunking';
import { detectSources, importSources, type ImportSource } from '../../../src/core/ingest/engine';
import { EpoXmlPatentReader } from '../../../src/core/ingest/epo-xml';
import { JsonlPatentReader } from '../../../src/core/ingest/jsonl';
import { MemorySink } from '../../../src/core/ingest/memory-sink';
import { PatentsViewJoin } from '../../../src/core/ingest/patentsview';
import { NO_TITLE_WARNING } from '../../../src/core/ingest/presets';
import { TabularPatentReader } from '../../../src/core/ingest/tabular';

const MAPPING = { id: 'id', title: 'title', year: 'year', codes: ['ipc'] };

describe('patents without a title', () => {
  it('CSV: kept with a warning when they have a year and a valid code, else an error', () => {
    const text = 'id,title,year,ipc\nA,,2001,H04L 27/26\nB,  ,2002,\nC,,2003,not a code\nD,,soon,H04L\nE,Titled,2004,\n';
    const result = readAll(new TabularPatentReader(',', MAPPING, 'f.csv'), [text]);
    expect(result.patents).toEqual([
      { line: 2, id: 'A', year: 2001, title: '', rawCodes: ['H04L 27/26'] },
      { line: 6, id: 'E', year: 2004, title: 'Titled', rawCodes: [] },
    ]);
    expect(result.warnings).toEqual([{ line: 2, reason: NO_TITLE_WARNING, file: 'f.csv' }]);
    expect(result.errors).toEqual([
      { line: 3, reason: 'no title', file: 'f.csv' },
      { line: 4, reason: 'no title', file: 'f.csv' },
      { line: 5, reason: 'bad year "soon"', file: 'f.csv' },
    ]);
  });

  it('JSON lines: the same', () => {
    const text = '{"id": "A", "year": 2001, "ipc": ["H04L 27/26"]}\n{"id": "B", "title": "", "year": 2002, "ipc": []}\n';
    const result = readAll(new JsonlPatentReader(MAPPING, 'f.jsonl'), [text]);
    expect(result.patents.map((p) => [p.id, p.title])).toEqual([['A', '']]);
    expect(result.warnings).toEqual([{ line: 1, reason: NO_TITLE_WARNING, file: 'f.jsonl' }]);
    expect(result.errors).toEqual([{ line: 2, reason: 'no title', file: 'f.jsonl' }]);
  });

  it('EPO XML: a document with codes and no B542 title', () => {
    const text = '<ep-patent-document country="EP" doc-number="1" kind="A1" date-publ="20200101">'
      + '<SDOBI><B510EP><classification-ipcr><text>H04L  27/26        20060101AFI20200101BHEP</text></classification-ipcr></B510EP></SDOBI>'
      + '</ep-patent-document>\n<ep-patent-document country="EP" doc-number="2" kind="A1" date-publ="20200101"><SDOBI/></ep-patent-document>';
    const result = readAll(new EpoXmlPatentReader('f.xml'), [text]);
    expect(result.patents.map((p) => [p.id, p.title])).toEqual([['EP1A1', '']]);
    expect(result.warnings).toEqual([{ line: 1, reason: NO_TITLE_WARNING, file: 'f.xml' }]);
    expect(result.errors).toEqual([{ line: 2, reason: 'no title', file: 'f.xml' }]);
  });

  it('PatentsView: judged once the classification tables are in, whatever their order', () => {
    const patents = 'patent_id\tpatent_date\tpatent_title\n1\t2020-01-01\t""\n2\t2020-01-01\t\n3\t2020-01-01\tTitled\n';
    const cpc = 'patent_id\tcpc_group\n1\tH04L27/26\n';
    for (const order of [['g_patent.tsv', 'g_cpc_current.tsv'], ['g_cpc_current.tsv', 'g_patent.tsv']]) {
      const join = new PatentsViewJoin();
      const tableErrors = order.flatMap((name) => readAll(join.table(name), [name === 'g_patent.tsv' ? patents : cpc]).errors);
      const result = join.finish();
      expect(tableErrors, order.join()).toEqual([]);
      expect(result.patents.map((p) => [p.id, p.title]), order.join()).toEqual([['1', ''], ['3', 'Titled']]);
      expect(result.warnings, order.join()).toEqual([{ line: 2, reason: NO_TITLE_WARNING, file: 'g_patent.tsv' }]);
      expect(result.errors, order.join()).toEqual([{ line: 3, reason: 'no title', file: 'g_patent.tsv' }]);
    }
  });

  it('are imported with an empty title and listed among the warnings of the report', async () => {
    const bytes = new TextEncoder().encode('id,title,year,ipc\nA,,2001,H04L 27/26\n');
    const source: ImportSource = { name: 'u.csv', bytes: bytes.length, stream: () => new Blob([bytes]).stream() };
    const [detection] = await detectSources([source]);
    const sink = new MemorySink();
    const { report } = await importSources([{ source, detected: detection.detected! }], sink, {});
    expect(sink.patents.get('A')).toEqual({ id: 'A', year: 2001, title: '', codes: ['H04L 27/26'] });
    expect(report.warnings).toEqual([{ line: 2, reason: NO_TITLE_WARNING, file: 'u.csv' }]);
    expect(report.rowErrorCount).toBe(0);
  });
});
