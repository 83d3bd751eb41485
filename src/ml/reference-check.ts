import type { ModelDtype } from './model-ref';

/**
 * Checks a loaded model against the reference outputs its recipe wrote (reference.json), on
 * whatever backend it runs here. The same functions serve the Node tests and the browser's
 * "Check" button, so a model that passes in CI is checked the same way on a user's GPU.
 */
export interface ReferenceCheck {
  name: string;
  /** cosine: higher is better; abs-diff: lower is better; equal: 1 when identical. */
  measure: 'cosine' | 'abs-diff' | 'equal';
  value: number;
  threshold: number;
  passed: boolean;
}

export interface ModelCheckReport {
  modelId: string;
  kind: 'encoder' | 'yes-no';
  dtype: string;
  device: string;
  checks: ReferenceCheck[];
  passed: boolean;
}

/** What an encoder must offer to be checked. */
export interface EncoderProbe {
  embed(texts: string[]): Promise<{ vectors: Float32Array; dim: number }>;
  encode(text: string): number[];
  /** Hidden states (ids × dim) and, when the graph has them, logits (ids × vocab) of one sequence. */
  forward(ids: number[]): Promise<{ hidden: Float32Array; dim: number; logits: Float32Array | null; vocab: number }>;
}

/** What a Yes/No model must offer to be checked. */
export interface YesNoProbe {
  render(messages: { role: string; content: string }[]): string;
  encode(text: string): number[];
  scorePrompts(ids: number[][]): Promise<Float32Array>;
}

interface EncoderReference {
  references: { text: string; input_ids: number[]; embedding: number[] }[];
  techtoken?: { input_ids: number[]; positions: number[]; hidden_states: number[][] };
  masked?: { input_ids: number[]; mask_positions: number[]; top5: { token: string; id: number; logit: number }[] };
  tolerance?: Partial<Record<ModelDtype, number>>;
}

interface YesNoReference {
  prompts: {
    name?: string;
    technique: string;
    patent: string;
    messages: { role: string; content: string }[];
    text: string;
    input_ids: number[];
    p_yes: number;
    q4_emulated_p_yes?: number;
  }[];
}

/** The issue's floors: fp32 reproduces the recipe, quantised variants stay close to it. */
const COSINE_FLOOR: Record<ModelDtype, number> = { fp32: 0.9999, fp16: 0.999, q8: 0.99, int8: 0.99, uint8: 0.99, q4: 0.98, q4f16: 0.98 };
/**
 * P(Yes) tolerance. fp32 must match torch. q4 is compared with the recipe's own emulation of the
 * q4 rounding (same blocks and scales), so ONNX Runtime's MatMulNBits has to land on it too.
 */
const YES_NO_TOLERANCE: Record<ModelDtype, number> = { fp32: 1e-3, fp16: 1e-2, q8: 2e-2, int8: 2e-2, uint8: 2e-2, q4: 1e-2, q4f16: 2e-2 };

export function isEncoderReference(value: unknown): value is EncoderReference {
  return typeof value === 'object' && value !== null && Array.isArray((value as { references?: unknown }).references);
}

export function isYesNoReference(value: unknown): value is YesNoReference {
  return typeof value === 'object' && value !== null && Array.isArray((value as { prompts?: unknown }).prompts);
}

export async function checkEncoder(probe: EncoderProbe, reference: EncoderReference, dtype: ModelDtype): Promise<ReferenceCheck[]> {
  const floor = reference.tolerance?.[dtype] ?? COSINE_FLOOR[dtype];
  const checks: ReferenceCheck[] = [];
  reference.references.forEach((r, i) => checks.push(equal(`token ids of text ${i + 1}`, probe.encode(r.text), r.input_ids)));
  const { vectors, dim } = await probe.embed(reference.references.map((r) => r.text));
  reference.references.forEach((r, i) => checks.push(atLeast(`embedding of text ${i + 1}`, cosine(vectors.subarray(i * dim, (i + 1) * dim), r.embedding), floor)));
  if (reference.techtoken) {
    const { hidden, dim: width } = await probe.forward(reference.techtoken.input_ids);
    reference.techtoken.positions.forEach((position, i) => checks.push(atLeast(
      `hidden state at code token ${i + 1}`, cosine(hidden.subarray(position * width, (position + 1) * width), reference.techtoken?.hidden_states[i] ?? []), floor)));
  }
  if (reference.masked && reference.masked.top5.length > 0) {
    const { logits, vocab } = await probe.forward(reference.masked.input_ids);
    if (logits) {
      const at = reference.masked.mask_positions[0] * vocab;
      // The reference ranked only code tokens: rank the same candidates here.
      const candidates = reference.masked.top5.map((t) => t.id);
      const best = candidates.reduce((a, b) => (logits[at + b] > logits[at + a] ? b : a));
      checks.push(equal('best masked code among the reference top 5', [best], [reference.masked.top5[0].id]));
    }
  }
  return checks;
}

export async function checkYesNo(probe: YesNoProbe, reference: YesNoReference, dtype: ModelDtype): Promise<ReferenceCheck[]> {
  const checks: ReferenceCheck[] = [];
  for (const prompt of reference.prompts) {
    const label = prompt.name ?? `${prompt.technique} × ${prompt.patent}`;
    const rendered = probe.render(prompt.messages);
    checks.push({ name: `chat template of ${label}`, measure: 'equal', value: rendered === prompt.text ? 1 : 0, threshold: 1, passed: rendered === prompt.text });
    checks.push(equal(`token ids of ${label}`, probe.encode(prompt.text), prompt.input_ids));
  }
  const scores = await probe.scorePrompts(reference.prompts.map((p) => p.input_ids));
  reference.prompts.forEach((prompt, i) => {
    const expected = dtype === 'q4' && prompt.q4_emulated_p_yes !== undefined ? prompt.q4_emulated_p_yes : prompt.p_yes;
    const difference = Math.abs(scores[i] - expected);
    const threshold = YES_NO_TOLERANCE[dtype];
    checks.push({ name: `P(Yes) of ${prompt.name ?? `${prompt.technique} × ${prompt.patent}`}`, measure: 'abs-diff', value: difference, threshold, passed: difference <= threshold });
  });
  return checks;
}

export function report(modelId: string, kind: ModelCheckReport['kind'], dtype: string, device: string, checks: ReferenceCheck[]): ModelCheckReport {
  return { modelId, kind, dtype, device, checks, passed: checks.length > 0 && checks.every((c) => c.passed) };
}

function atLeast(name: string, value: number, threshold: number): ReferenceCheck {
  return { name, measure: 'cosine', value, threshold, passed: value >= threshold };
}

function equal(name: string, actual: number[], expected: number[]): ReferenceCheck {
  const same = actual.length === expected.length && actual.every((v, i) => v === expected[i]);
  return { name, measure: 'equal', value: same ? 1 : 0, threshold: 1, passed: same };
}

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return Number.NaN;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}
