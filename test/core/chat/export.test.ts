import { describe, expect, it } from 'vitest';
import { ChatContext } from '../../../src/core/chat/context';
import { conversationMarkdown, escapeMarkdown } from '../../../src/core/chat/export';
import { patentItem, sectionItem } from '../../../src/core/chat/items';
import { catalogue } from './fixture';

describe('Markdown export', () => {
  it('escapes markup in user data so the export stays inert', () => {
    expect(escapeMarkdown('a *b* _c_ `d` [e](f) <script>x</script> | & ~ \\')).toBe(
      'a \\*b\\* \\_c\\_ \\`d\\` \\[e\\](f) \\<script\\>x\\</script\\> \\| \\& \\~ \\\\',
    );
    expect(escapeMarkdown('# heading\n> quote\n- item\n+ item\n12. item\n    code\n===')).toBe(
      '\\# heading\n\\> quote\n\\- item\n\\+ item\n12\\. item\ncode\n\\===',
    );
    // Plain prose is left readable: no escapes where nothing would be markup.
    expect(escapeMarkdown('Zinc 0.5 mg/m3, e.g. CWW-3 (2019).')).toBe('Zinc 0.5 mg/m3, e.g. CWW-3 (2019).');
  });

  it('writes questions, answers with their citations marked, and the cited items', () => {
    const c = new ChatContext();
    c.add(patentItem({ id: 'US-1', year: 2020, title: '# *Bold* scrubber <img src=x>', abstract: 'Removes NH3 [see fig. 1]\n- not a list', codes: ['B01D'] }));
    c.add(sectionItem(catalogue.section('AA:::1.1')!, { catalogue }));
    c.add(patentItem({ id: 'US-2', year: 2021, title: 'Uncited', codes: [] }));
    const md = conversationMarkdown({
      title: 'Chat about *ammonia*',
      turns: [
        { question: 'What does _it_ do?', answer: 'It scrubs ammonia [P1][B1]. It is cheap [P7]. Nobody knows why.', context: c.entries, note: "1 source was shortened to fit the model's context." },
        { question: 'Capital of France?', answer: 'I have no source for that.', refused: true, context: c.entries },
      ],
    });
    expect(md).toBe([
      '# Chat about \\*ammonia\\*',
      '',
      '## Question 1',
      '',
      'What does \\_it\\_ do?',
      '',
      '### Answer',
      '',
      'It scrubs ammonia \\[P1\\]\\[B1\\]. It is cheap \\[P7\\] *(not in the sources)*. Nobody knows why. *(no source cited)*',
      '',
      "*1 source was shortened to fit the model's context.*",
      '',
      '## Question 2',
      '',
      'Capital of France?',
      '',
      '### Answer',
      '',
      '*I have no source for that.*',
      '',
      '## Sources',
      '',
      // A '#' inside a line is no heading: left as it is.
      '### \\[P1\\] Patent US-1 (2020): # \\*Bold\\* scrubber \\<img src=x\\>',
      '',
      '- Codes: B01D',
      '',
      'Abstract: Removes NH3 \\[see fig. 1\\]',
      '\\- not a list',
      '',
      '### \\[B1\\] BREF section AA 1.1 Scrubbing',
      '',
      '- Document: AA (Document A)',
      '- Path: Chapter one \\> Scrubbing',
      '- Pollutants linked: Ammonia; Zinc',
      '',
    ].join('\n'));
  });
});
