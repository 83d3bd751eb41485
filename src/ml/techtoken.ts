import { codeAt } from '../core/codes';
import type { CodeLevel } from '../core/types';

/** How a model writes a technology code as one vocabulary token. */
export type CodeTokenFormat = 'bracketed' | 'bare';

export interface CodeTokenVocabulary {
  format: CodeTokenFormat;
  level: CodeLevel;
  /** Canonical code at `level` → its token id, for the codes that have one. */
  tokens: Map<string, number>;
  /** Share of the dataset's codes at `level` that have a token. */
  coverage: number;
}

const LEVELS: CodeLevel[] = ['subclass', 'main_group', 'subgroup'];
/** Below this share of the dataset's codes the model is not treated as a TechToken model for it. */
export const MIN_TECHTOKEN_COVERAGE = 0.5;

export function codeToken(code: string, format: CodeTokenFormat): string {
  return format === 'bracketed' ? `[${code}]` : code;
}

/**
 * Recognises a TechToken model from its vocabulary: one added token per code, written `[H04L]`
 * (the project's recipes) or `H04L` (the skeleton model). Picks the format and level covering
 * most of the dataset's codes; null when the model has no code tokens for this data.
 */
export function detectCodeTokens(vocabulary: Map<string, number>, datasetCodes: Iterable<string>): CodeTokenVocabulary | null {
  const codes = [...datasetCodes];
  let best: CodeTokenVocabulary | null = null;
  for (const level of LEVELS) {
    const atLevel = [...new Set(codes.map((c) => codeAt(level, c)).filter((c): c is string => c !== null))];
    if (atLevel.length === 0) continue;
    for (const format of ['bracketed', 'bare'] as const) {
      const tokens = new Map<string, number>();
      for (const code of atLevel) {
        const id = vocabulary.get(codeToken(code, format));
        if (id !== undefined) tokens.set(code, id);
      }
      const coverage = tokens.size / atLevel.length;
      if (!best || coverage > best.coverage) best = { format, level, tokens, coverage };
    }
  }
  return best && best.coverage >= MIN_TECHTOKEN_COVERAGE ? best : null;
}
