import type { CodeLevel } from '../../core/types';

/** The analysis levels as the level pickers name them, with an example code each. */
export const LEVEL_LABELS: Record<CodeLevel, string> = { subclass: 'Subclass (H04L)', main_group: 'Main group (H04L 27/00)', subgroup: 'Subgroup (H04L 27/26)' };

export const LEVELS = Object.keys(LEVEL_LABELS) as CodeLevel[];
