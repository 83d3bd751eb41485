/**
 * The engines' result types as the views see them: views import from src/clients only, and
 * these are types (erased at build), so no engine code reaches the page's bundle.
 */
export type { CodePatent, ForecastOutcome } from '../engines/forecast-engine';
export type { FileDetection } from '../engines/import-engine';
export type { MapLayout, MapTopic } from '../engines/map-layout-engine';
export type { MatcherInfo, Technique, TechniqueScores } from '../engines/match-engine';
