/**
 * The chat's grounding, pure and synchronous except retrieval's embedding callback: context items
 * and tags (context.ts, items.ts), retrieval (retrieve.ts), the prompt with truncation (prompt.ts),
 * citations in answers (citations.ts), refusal (refusal.ts), report mode (reports.ts) and the
 * Markdown export (export.ts). Engines and views import from here.
 */
export * from './citations';
export * from './context';
export * from './engine';
export * from './export';
export * from './items';
export * from './prompt';
export * from './refusal';
export * from './render';
export * from './reports';
export * from './retrieve';
export * from './terms';
