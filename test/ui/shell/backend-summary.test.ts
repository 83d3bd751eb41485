/** The shell's backend indicator says where the last analysis ran, and flags a fallback the user did not ask for. */
import { describe, expect, it } from 'vitest';
import type { AnalysisResult } from '../../../src/clients/pipeline';
import { backendSummary } from '../../../src/ui/shell/backend-summary';

function result(part: { device: 'webgpu' | 'wasm'; similarity: AnalysisResult['similarity']; fallbackReasons?: string[] }): AnalysisResult {
  return {
    datasetId: 'd', patentCount: 3, patentsWithoutText: 0, embeddingsReused: false, embeddings: {} as unknown as AnalysisResult['embeddings'],
    encoder: { modelId: 'bundled:m', manifest: null, fromCache: true, device: part.device, dtype: 'q8', dim: 8, maxTokens: 0, fallbackReasons: part.fallbackReasons ?? [], wasmThreads: null } as unknown as AnalysisResult['encoder'],
    similarity: part.similarity, level: 'subclass', method: 'mean-of-patents', codes: ['A01B'], counts: [1], neighbours: {}, timingsMs: { prepare: 1, embed: 1, similarity: 1 },
  } as AnalysisResult;
}

describe('backend summary', () => {
  it('WebGPU for both steps reads "WebGPU", ok, with the adapter named', () => {
    const s = backendSummary({ kind: 'done', value: result({ device: 'webgpu', similarity: { kind: 'webgpu', adapterName: 'SwiftShader' } }) }, true);
    expect(s).toMatchObject({ label: 'WebGPU', tone: 'ok' });
    expect(s.details).toContain('Similarity: WebGPU on SwiftShader');
  });

  it('a CPU fallback while WebGPU was wanted is flagged with its reason; the same CPU run by choice is not', () => {
    const value = result({ device: 'wasm', similarity: { kind: 'cpu', fallbackReason: 'no adapter' }, fallbackReasons: ['no adapter'] });
    const wanted = backendSummary({ kind: 'done', value }, true);
    expect(wanted).toMatchObject({ label: 'CPU', tone: 'fallback' });
    expect(wanted.details).toContain('Similarity fell back: no adapter');
    expect(backendSummary({ kind: 'done', value }, false).tone).toBe('ok');
  });

  it('running, failed, idle and no-dataset states each have their own word', () => {
    expect(backendSummary({ kind: 'running', step: 'embed', progress: null }, true)).toMatchObject({ label: 'Working', tone: 'busy' });
    expect(backendSummary({ kind: 'error', error: new Error('x'), message: 'GPU lost' }, true)).toMatchObject({ label: 'Error', tone: 'error', details: ['WebGPU preferred', 'The analysis did not finish: Explore says why.'] });
    expect(backendSummary({ kind: 'idle', cancelled: true }, false).details).toContain('The last run was cancelled.');
    expect(backendSummary({ kind: 'done', value: null }, true).label).toBe('No data');
  });
});
