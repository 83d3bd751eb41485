import { describe, expect, it } from 'vitest';
import {
  defaultWindowInputs, initialForm, labelRule, labelText, windowInputId, windowsFromInputs, type WindowInputs,
} from '../../src/ui/forecast/forecast-inputs';

const typed = (values: Partial<WindowInputs>): WindowInputs => ({ ...defaultWindowInputs(1980, 2020), ...values });

describe('forecast form reading', () => {
  it('defaults come from the dataset years and read back as the same windows', () => {
    const inputs = defaultWindowInputs(1980, 2020);
    expect(inputs).toMatchObject({ learnFrom: '', embedFrom: '2011', scoreTo: '2020' });
    const windows = windowsFromInputs(inputs);
    expect(windows.learn.from).toBe(Number.NEGATIVE_INFINITY);
    expect(windows.embed).toEqual({ from: 2011, to: 2015 });
    expect(windows.score).toEqual({ from: 2016, to: 2020 });
  });

  it('names the field to fix', () => {
    expect(() => windowsFromInputs(typed({ embedTo: '' }))).toThrow('Enter a year for the end of the embedding window.');
    expect(() => windowsFromInputs(typed({ scoreFrom: '2016.5' }))).toThrow('Enter a year for the start of the scoring window.');
    expect(() => windowsFromInputs(typed({ embedFrom: '2019', embedTo: '2012' }))).toThrow();
  });

  it('reads the label rule and its threshold, and refuses impossible thresholds', () => {
    const form = initialForm('subclass');
    expect(labelRule(form)).toEqual({ mode: 'above-null' });
    expect(labelRule({ ...form, thresholdKind: 'z', thresholdValue: '2.5' })).toEqual({ mode: 'above-null', minZ: 2.5 });
    expect(labelRule({ ...form, thresholdKind: 'p', thresholdValue: '0.01' })).toEqual({ mode: 'above-null', maxP: 0.01 });
    expect(labelRule({ ...form, thresholdKind: 'p', thresholdValue: ' ' })).toEqual({ mode: 'above-null' });
    expect(labelRule({ ...form, labelMode: 'at-least-once', thresholdKind: 'z', thresholdValue: 'x' })).toEqual({ mode: 'at-least-once' });
    expect(() => labelRule({ ...form, thresholdKind: 'p', thresholdValue: '2' })).toThrow('The p threshold must lie in (0, 1].');
    expect(() => labelRule({ ...form, thresholdKind: 'z', thresholdValue: 'abc' })).toThrow('The z threshold must be a number.');
    expect(labelText({ mode: 'above-null', minZ: 2 })).toBe('above the null model, z ≥ 2');
    expect(labelText({ mode: 'at-least-once' })).toBe('combined at least once');
  });

  it('gives the inputs the ids the browser journeys use', () => {
    expect(windowInputId('learnFrom')).toBe('fc-learn-from');
    expect(windowInputId('scoreTo')).toBe('fc-score-to');
  });
});
