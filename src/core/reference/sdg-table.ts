import type { SdgImpactTable } from '../dashboard/sdg';
import type { SdgImpacts } from './sdg';

/**
 * The bundled SDG impacts as the dashboard reads them: by goal position and catalogue pollutant
 * index (0 for a catalogue pollutant without SDG figures). Refuses a table made for another
 * catalogue, since its pollutant indices would point at the wrong names.
 */
export function sdgTableForCatalogue(impacts: SdgImpacts, catalogueFingerprint: string): SdgImpactTable {
  if (!impacts.fitsCatalogue(catalogueFingerprint)) {
    throw new Error(`the SDG impact table was made for catalogue ${impacts.catalogueFingerprint}, not ${catalogueFingerprint}; regenerate it with npm run reference`);
  }
  return {
    goals: impacts.goals.map((g) => ({ number: g.number, title: g.title })),
    impact: (goalIndex, cataloguePollutant) => {
      const pollutant = impacts.ofCataloguePollutant(cataloguePollutant);
      const goal = impacts.goals[goalIndex];
      return pollutant && goal ? impacts.impact(goal.number, pollutant.index) : 0;
    },
  };
}
