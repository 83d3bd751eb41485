/**
 * The selection wiring the map and the space share: each hears the other's selections of the
 * same dataset while connected, never its own, and an empty selection clears it for both.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Selection } from '../../src/clients/selection-client';
import { SharedSelection } from '../../src/ui/shared/shared-selection';
import { controllerHost } from './controller-host';

const host = controllerHost;

describe('SharedSelection', () => {
  it('delivers the other view\'s selections of the same dataset, keeps them across a reload, and clears with source none', async () => {
    const heardByMap: Selection[] = [];
    const heardBySpace: Selection[] = [];
    const map = new SharedSelection(host(), 'map', (s) => heardByMap.push(s));
    const space = new SharedSelection(host(), 'space', (s) => heardBySpace.push(s));
    map.hostConnected();
    space.hostConnected();
    await map.load('d1');
    await space.load('d1');

    await space.save('d1', ['P1', 'P2'], ['H04L']);
    expect(heardByMap).toEqual([{ datasetId: 'd1', source: 'space', patentIds: ['P1', 'P2'], codes: ['H04L'] }]);
    expect(heardBySpace).toEqual([]);
    await expect(map.load('d1')).resolves.toEqual({ datasetId: 'd1', source: 'space', patentIds: ['P1', 'P2'], codes: ['H04L'] });

    await map.save('d1', [], []);
    expect(heardBySpace).toEqual([{ datasetId: 'd1', source: 'none', patentIds: [], codes: [] }]);

    // Another dataset's selection, and selections after disconnecting, are not heard.
    await space.save('d2', ['X'], []);
    map.hostDisconnected();
    await space.save('d1', ['P3'], []);
    expect(heardByMap).toHaveLength(1);
  });
});
