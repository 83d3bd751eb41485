import { createReadStream, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { localModelSource } from '../../src/ml/local-model';
import { detectSources, importSources, type ImportSource } from '../../src/core/ingest/engine';
import { MemorySink } from '../../src/core/ingest/memory-sink';
import { neighbourLists } from '../../src/core/neighbours';
import { patentText } from '../../src/core/patent-text';
import { similarityTopK } from '../../src/core/similarity';
import type { CodeLevel, Neighbour } from '../../src/core/types';
import { EncoderEngine } from '../../src/ml/encoder';
import { BUNDLED_MODEL_NAME } from '../../src/ml/bundled';

/** The slice the app runs, on the Node CPU path: same import code, onnxruntime-node, CPU twin. */
export async function nodeCpuNeighbours(
  k: number,
  level: CodeLevel = 'subclass',
  method: 'mean-of-patents' | 'techtoken' = 'mean-of-patents',
  model: string = BUNDLED_MODEL_NAME,
): Promise<Record<string, Neighbour[]>> {
  const path = resolve('public/demo/patents.jsonl');
  const source: ImportSource = {
    name: 'patents.jsonl',
    bytes: statSync(path).size,
    stream: () => Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>,
  };
  const [detection] = await detectSources([source]);
  if (!detection.detected) throw new Error(detection.error);
  const sink = new MemorySink();
  await importSources([{ source, detected: detection.detected }], sink, {});
  const patents = [...sink.patents.values()];
  const encoder = await EncoderEngine.create({ source: localModelSource('models', model), devices: ['cpu'] });
  try {
    if (method === 'techtoken') {
      const vocabulary = encoder.codeTokens(patents.flatMap((p) => p.codes));
      if (!vocabulary) throw new Error('the bundled model has no code tokens');
      const codes = await encoder.embedCodeTokens(patents, vocabulary);
      return neighbourLists(codes.codes, similarityTopK(codes.vectors, codes.codes.length, codes.dim, k, true));
    }
    const { vectors, dim } = await encoder.embed(patents.map(patentText));
    const codeVectors = meanOfPatentVectors(patents, vectors, dim, level);
    const topK = similarityTopK(codeVectors.vectors, codeVectors.codes.length, dim, k, true);
    return neighbourLists(codeVectors.codes, topK);
  } finally {
    await encoder.destroy();
  }
}
