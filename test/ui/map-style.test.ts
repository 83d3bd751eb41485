import { describe, expect, it } from 'vitest';
import { NO_SECTION } from '../../src/core/ipc-sections';
import { columnsOf, pointColours, type MapPoint } from '../../src/ui/map-style';
import { CODE_MATCH_COLOUR, OTHER_COLOUR, SECTION_PALETTE, cssColour, sequentialColour } from '../../src/ui/theme/palette';

const points: MapPoint[] = [
  { id: 'a', title: 'Lithium anode', year: 2001, codes: ['H01M 4/13'], haystack: '' },
  { id: 'b', title: 'Wind blade', year: 2011, codes: ['F03D 1/06'], haystack: '' },
  { id: 'c', title: 'No codes', year: Number.NaN, codes: [], haystack: '' },
];
const rgb = (colours: Uint8Array, i: number) => Array.from(colours.subarray(i * 4, i * 4 + 3));

describe('map point colours', () => {
  it('colours by section from the one palette, with the sections present in the legend', () => {
    const columns = columnsOf(points);
    expect(Array.from(columns.sections)).toEqual([7, 5, NO_SECTION]);
    const { colours, legend } = pointColours('section', columns, Int32Array.from([0, 0, 0]));
    expect(rgb(colours, 0)).toEqual([...SECTION_PALETTE.H]);
    expect(rgb(colours, 1)).toEqual([...SECTION_PALETTE.F]);
    expect(rgb(colours, 2)).toEqual([...OTHER_COLOUR]);
    expect(legend.map((l) => l.label)).toEqual(['F Mechanical engineering; lighting; heating; weapons', 'H Electricity', 'no code']);
  });

  it('colours by year on the sequential scale, unknown years grey', () => {
    const { colours, legend } = pointColours('year', columnsOf(points), Int32Array.from([0, 0, 0]));
    expect(rgb(colours, 0)).toEqual([...sequentialColour(0)]);
    expect(rgb(colours, 1)).toEqual([...sequentialColour(1)]);
    expect(rgb(colours, 2)).toEqual([...OTHER_COLOUR]);
    expect(legend[0]).toEqual({ label: '2001', colour: cssColour(sequentialColour(0)) });
  });

  it('colours by code from the worker\'s matches, or from the points\' codes when given points', () => {
    const fromWorker = pointColours('code', columnsOf(points), Int32Array.from([0, 0, 0]), { code: 'h01m', codeMatches: Uint8Array.from([0, 1, 0]) });
    expect(rgb(fromWorker.colours, 1)).toEqual([...CODE_MATCH_COLOUR]);
    expect(fromWorker.legend[0].label).toBe('H01M (1)');
    const fromPoints = pointColours('code', points, Int32Array.from([0, 0, 0]), { code: 'H01M' });
    expect(rgb(fromPoints.colours, 0)).toEqual([...CODE_MATCH_COLOUR]);
    expect(rgb(fromPoints.colours, 1)).toEqual([...OTHER_COLOUR]);
  });
});
