import { describe, expect, it } from 'vitest';
import { EMPTY_VIEW_STATE, MAX_LINK_ITEMS, normaliseHash, parseViewState, serialiseViewState, type ViewState } from '../../../src/core/url/view-state';

const FULL: ViewState = {
  route: 'space', dataset: '2s-0123abcd4567ef89', datasetName: 'My patents (2024)', level: 'main_group',
  codes: ['H04L 9/32', 'G06N'], patents: ['EP1234567A1', 'US 7,000,001'], year: 2003.25, pollutant: 12,
  section: 'LCP:::5.1.2 Techniques', sdg: 7, tab: 'bref', camera: { position: [1.25, -3.5, 20], target: [0, 0.5, -0.75] },
};

describe('view state in the hash', () => {
  it('round-trips a full state', () => {
    const hash = serialiseViewState(FULL);
    expect(hash.startsWith('#/space?')).toBe(true);
    // A patent id with a comma survives only as its parts: commas split list items on the way in.
    expect(parseViewState(hash)).toEqual({ ...FULL, patents: ['EP1234567A1', 'US 7', '000', '001'] });
    const clean = { ...FULL, patents: ['EP1234567A1', 'WO2020/123456'] };
    expect(parseViewState(serialiseViewState(clean))).toEqual(clean);
  });

  it('round-trips the empty state of each route, and writes no parameters for it', () => {
    for (const route of ['explore', 'map', 'dashboard']) {
      const state = { ...EMPTY_VIEW_STATE, route };
      expect(serialiseViewState(state)).toBe(`#/${route}`);
      expect(parseViewState(serialiseViewState(state))).toEqual(state);
    }
  });

  it('reads the links the chat chips and the dashboard already write', () => {
    expect(parseViewState('#/space?code=H01M')).toMatchObject({ route: 'space', codes: ['H01M'] });
    expect(parseViewState('#/dashboard?patent=EP1')).toMatchObject({ route: 'dashboard', patents: ['EP1'] });
    expect(parseViewState('#/dashboard?pollutant=3')).toMatchObject({ pollutant: 3 });
    expect(parseViewState('#/map?section=LCP%3A%3A%3A1')).toMatchObject({ route: 'map', section: 'LCP:::1' });
    expect(parseViewState('')).toEqual(EMPTY_VIEW_STATE);
    expect(parseViewState('#')).toEqual(EMPTY_VIEW_STATE);
  });

  it('drops junk parameter by parameter and keeps the rest', () => {
    const state = parseViewState('#/space?level=huge&year=soon&pollutant=-1&sdg=1.5&cam=1,2,3&ds=a%20b&tab=<x>&code=G06N&unknown=1&code=%00');
    expect(state).toEqual({ ...EMPTY_VIEW_STATE, route: 'space', codes: ['G06N'] });
    expect(parseViewState('#/space?cam=1,2,3,4,5,NaN').camera).toBeNull();
    expect(parseViewState('#/space?cam=1,2,3,4,5,1e9').camera).toBeNull();
    expect(parseViewState('#/space?year=1e400').year).toBeNull();
    expect(parseViewState(`#/space?section=${'x'.repeat(201)}`).section).toBeNull();
  });

  it('never throws on odd input', () => {
    const odd = ['%', '#/%E0%A4%A', '#/space?%%%=%%', '#/../../etc?code', '#/SPACE', '#/a?b?c=d', '?code=A', '#//', '#/space?code=&code=,,'];
    for (const hash of odd) expect(() => parseViewState(hash)).not.toThrow();
    expect(parseViewState('#/../../etc').route).toBe('explore');
    expect(parseViewState('#/space?code=&code=,,').codes).toEqual([]);
  });

  it('drops repeated items and bounds long lists', () => {
    expect(parseViewState('#/space?code=A&code=B,A').codes).toEqual(['A', 'B']);
    const many = Array.from({ length: MAX_LINK_ITEMS + 20 }, (_, i) => `P${i}`);
    const hash = serialiseViewState({ ...EMPTY_VIEW_STATE, route: 'map', patents: many });
    expect(parseViewState(hash).patents).toEqual(many.slice(0, MAX_LINK_ITEMS));
  });

  it('rounds the camera and the year so that small moves do not change the link', () => {
    const camera = { position: [1.234567, -0.0001, 9.999] as [number, number, number], target: [0.004, 0.005, -0.006] as [number, number, number] };
    const rounded = { position: [1.23, 0, 10], target: [0, 0.01, -0.01] };
    const state = { ...EMPTY_VIEW_STATE, route: 'space', camera, year: 2001.123456 };
    const parsed = parseViewState(serialiseViewState(state));
    expect(parsed.camera).toEqual(rounded);
    expect(parsed.year).toBe(2001.12);
    expect(serialiseViewState(parsed)).toBe(serialiseViewState(state));
  });

  it('names the dataset only together with its identity', () => {
    expect(serialiseViewState({ ...EMPTY_VIEW_STATE, datasetName: 'Orphan' })).toBe('#/explore');
    expect(parseViewState(serialiseViewState({ ...EMPTY_VIEW_STATE, dataset: 'abc', datasetName: 'Demo & co' })).datasetName).toBe('Demo & co');
  });

  it('normalises two spellings of one state to one hash', () => {
    expect(normaliseHash('#/space?code=A&level=subclass')).toBe(normaliseHash('/space?level=subclass&code=A&junk=1'));
    expect(normaliseHash('#/space?code=A')).not.toBe(normaliseHash('#/space?code=B'));
  });
});
