import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSpellings, spellCode } from '../../src/ml/code-token-spelling';
import { EncoderEngine } from '../../src/ml/encoder';
import { localModelSource } from '../../src/ml/local-model';
import { detectCodeTokens } from '../../src/ml/techtoken';
import { startHubMimic, type HubMimic } from './hub-mimic';

/** A vocabulary: ordinary words (some code-like), then `codes` written by `spell`. */
function vocabulary(codes: string[], spell: (code: string) => string): Map<string, number> {
  const words = ['[PAD]', '[CLS]', '[SEP]', '[MASK]', 'battery', 'h04', 'a4b', 'b52x', 'H04l', '##ing'];
  return new Map([...words, ...codes.map(spell)].map((token, id) => [token, id]));
}

const SUBCLASSES = ['H04L', 'H01M', 'G06F', 'B64C'];
const MAIN_GROUPS = ['H04L 12/00', 'H04L 29/00', 'H01M 10/00', 'G06F 17/00', 'B64C 39/00'];
const DATASET = ['H04L 12/18', 'H04L 29/06', 'H01M 10/44', 'G06F 17/30', 'B64C 39/02', 'H04L'];

describe('code-token spelling read from the vocabulary', () => {
  it.each([
    ['bracketed (the recipes)', (c: string) => `[${c}]`, '[H04L]'],
    ['bare (the skeleton model)', (c: string) => c, 'H04L'],
    ['angle brackets', (c: string) => `<${c}>`, '<H04L>'],
    ['a lower-case prefix', (c: string) => `ipc_${c.toLowerCase()}`, 'ipc_h04l'],
    ['a CPC prefix and colon', (c: string) => `[CPC:${c}]`, '[CPC:H04L]'],
  ])('subclass tokens, %s', (_, spell, h04l) => {
    const vocab = vocabulary(SUBCLASSES, spell);
    const found = detectCodeTokens(vocab, DATASET);
    expect(found?.level).toBe('subclass');
    expect(found?.coverage).toBe(1);
    expect(found?.tokens.get('H04L')).toBe(vocab.get(h04l));
    expect([...(found?.tokens.keys() ?? [])].sort()).toEqual([...SUBCLASSES].sort());
  });

  it.each([
    ['without a space (the recipes)', (c: string) => `[${c.replace(' ', '')}]`, '[H04L12/00]'],
    ['with a space', (c: string) => c, 'H04L 12/00'],
    ['with underscores', (c: string) => c.replace(' ', '_').replace('/', '_'), 'H04L_12_00'],
    ['main group only, zero-padded', (c: string) => `<${c.slice(0, 4)}${c.slice(5, -3).padStart(4, '0')}>`, '<H04L0012>'],
  ])('main-group tokens, %s', (_, spell, h04l12) => {
    const vocab = vocabulary(MAIN_GROUPS, spell);
    const found = detectCodeTokens(vocab, DATASET);
    expect(found?.level).toBe('main_group');
    expect(found?.tokens.get('H04L 12/00')).toBe(vocab.get(h04l12));
    expect(found?.tokens.size).toBe(MAIN_GROUPS.length);
    expect(spellCode('H04L 12/00', found!.spelling)).toBe(h04l12);
  });

  it('picks the asked level of a model with tokens at two levels, and the better covered one otherwise', () => {
    const vocab = new Map([...vocabulary(SUBCLASSES, (c) => `[${c}]`)]);
    MAIN_GROUPS.slice(0, 2).forEach((c, i) => vocab.set(`[${c.replace(' ', '')}]`, 100 + i));
    expect(detectCodeTokens(vocab, DATASET)?.level).toBe('subclass');
    // 2 of the dataset's 5 main groups have a token: below the coverage a TechToken model needs.
    expect(detectCodeTokens(vocab, DATASET, 'main_group')).toBeNull();
    MAIN_GROUPS.slice(2).forEach((c, i) => vocab.set(`[${c.replace(' ', '')}]`, 200 + i));
    const main = detectCodeTokens(vocab, DATASET, 'main_group');
    expect(main?.level).toBe('main_group');
    expect(main?.tokens.get('G06F 17/00')).toBe(201);
  });

  it('does not take ordinary or mixed-case words for code tokens', () => {
    expect(detectCodeTokens(vocabulary([], (c) => c), DATASET)).toBeNull();
    expect(readSpellings(['H04l', 'battery', 'x4', '[CLS]'])).toEqual([]);
  });
});

/**
 * A hub model whose vocabulary writes codes `<ipc:h04l>`: the bundled TechToken model with its
 * code tokens renamed (same ids, same weights), served from a local server with the hub layout.
 * Its code vectors must be the bundled model's.
 */
describe('a TechToken model from the hub in another spelling', () => {
  const BUNDLED = resolve('models', 'ps-techtoken-tiny');
  const REPO = 'test-org/techtoken-other-spelling';
  let dir: string;
  let hub: HubMimic;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ps-spelling-'));
    mkdirSync(join(dir, 'onnx'));
    for (const file of ['config.json', 'tokenizer_config.json', 'onnx/model.onnx']) copyFileSync(join(BUNDLED, file), join(dir, file));
    const tokenizer = JSON.parse(readFileSync(join(BUNDLED, 'tokenizer.json'), 'utf8')) as {
      added_tokens: { content: string }[];
      model: { vocab: Record<string, number> };
    };
    const rename = (token: string) => (/^\[[A-HY]\d\d[A-Z]\]$/.test(token) ? `<ipc:${token.slice(1, -1).toLowerCase()}>` : token);
    tokenizer.added_tokens.forEach((t) => { t.content = rename(t.content); });
    tokenizer.model.vocab = Object.fromEntries(Object.entries(tokenizer.model.vocab).map(([token, id]) => [rename(token), id]));
    writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
    hub = await startHubMimic({ [REPO]: dir });
  });
  afterAll(async () => {
    await hub.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds its code tokens and gives the code vectors of the bundled model', async () => {
    const patents = [
      { title: 'Battery anode', abstract: 'Lithium electrolyte.', codes: ['H01M 4/134', 'H02J 7/00'] },
      { title: 'Charging grid', codes: ['H02J 7/00', 'H04L 12/18'] },
    ];
    const codes = patents.flatMap((p) => p.codes);
    const other = await EncoderEngine.create({ source: { kind: 'ref', ref: `hub:${REPO}`, appBase: 'http://127.0.0.1/', hubHost: hub.host }, devices: ['cpu'] });
    const bundled = await EncoderEngine.create({ source: localModelSource(resolve('models'), 'ps-techtoken-tiny'), devices: ['cpu'] });
    const found = other.codeTokens(codes);
    expect(found).toMatchObject({ level: 'subclass', coverage: 1, spelling: { prefix: '<ipc:', suffix: '>', lowerCase: true } });
    const reference = bundled.codeTokens(codes);
    expect(reference?.spelling).toMatchObject({ prefix: '[', suffix: ']', lowerCase: false });
    expect([...found!.tokens]).toEqual([...reference!.tokens]);

    const a = await other.embedCodeTokens(patents, found!);
    const b = await bundled.embedCodeTokens(patents, reference!);
    expect(a.codes).toEqual(['H01M', 'H02J', 'H04L']);
    expect(a.codes).toEqual(b.codes);
    for (let i = 0; i < a.vectors.length; i++) expect(a.vectors[i]).toBeCloseTo(b.vectors[i], 5);
    await other.destroy();
    await bundled.destroy();
  });
});
