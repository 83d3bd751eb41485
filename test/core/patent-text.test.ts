import { describe, expect, it } from 'vitest';
import { hasText, patentText } from '../../src/core/patent-text';

describe('patent text', () => {
  it('is the title, then the abstract', () => {
    expect(patentText({ title: 'Battery', abstract: 'A cell.' })).toBe('Battery. A cell.');
    expect(patentText({ title: 'Battery' })).toBe('Battery');
  });
  it('of an untitled patent is its abstract alone, or nothing', () => {
    expect(patentText({ title: '', abstract: 'A cell.' })).toBe('A cell.');
    expect(patentText({ title: '  ' })).toBe('');
    expect(hasText({ title: '' })).toBe(false);
    expect(hasText({ title: '', abstract: 'A cell.' })).toBe(true);
  });
});
