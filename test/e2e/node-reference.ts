import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { neighbourLists } from '../../src/core/neighbours';
import { meanOfPatentVectors } from '../../src/core/code-vectors';
import { parseJsonlPatents } from '../../src/core/parse/jsonl';
import { similarityTopK } from '../../src/core/similarity';
import type { Neighbour } from '../../src/core/types';
import { patentText } from '../../src/core/patent-text';
import { EncoderEngine } from '../../src/ml/encoder';

/** The same slice the app runs, on the Node CPU path: core parser, onnxruntime-node, CPU twin. */
export async function nodeCpuNeighbours(k: number): Promise<Record<string, Neighbour[]>> {
  const { patents } = parseJsonlPatents(readFileSync(resolve('public/demo/patents.jsonl'), 'utf8'));
  const encoder = await EncoderEngine.create({ modelId: 'ps-encoder-tiny', modelRoot: resolve('models'), devices: ['cpu'] });
  try {
    const { vectors, dim } = await encoder.embed(patents.map(patentText));
    const codeVectors = meanOfPatentVectors(patents, vectors, dim, 'subclass');
    const topK = similarityTopK(codeVectors.vectors, codeVectors.codes.length, dim, k, true);
    return neighbourLists(codeVectors.codes, topK);
  } finally {
    await encoder.destroy();
  }
}
