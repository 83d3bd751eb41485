/**
 * How well an encoder separates a dataset's questions from small talk, as the chat measures it
 * before fusing the encoder's ranking with BM25 (src/core/chat/semantic.ts): the share of (probe
 * question, off-topic question) pairs the probe wins. The chat uses the encoder at ≥ MIN_SEPARATION.
 *
 * usage: npx tsx scripts/chat-calibration.ts [--data public/demo/patents.jsonl] [--model models/ps-techtoken-tiny] …
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { calibrate, MIN_SEPARATION, OFF_TOPIC_QUESTIONS, probePatents, probeQuestion, titleFrequencies } from '../src/core/chat/semantic';
import { hasText, patentText } from '../src/core/patent-text';
import { EncoderEngine } from '../src/ml/encoder';
import { localModelSource } from '../src/ml/local-model';

const { values } = parseArgs({ options: { data: { type: 'string', default: 'public/demo/patents.jsonl' }, model: { type: 'string', multiple: true } } });
const models = values.model?.length ? values.model : ['models/ps-techtoken-tiny', 'models/ps-encoder-tiny'];
const patents = (readFileSync(values.data, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l)) as { id: string; title: string; abstract?: string }[]).filter(hasText);
const frequency = titleFrequencies(patents.map((p) => p.title));
const probes = probePatents(patents);

for (const model of models) {
  const encoder = await EncoderEngine.create({ source: localModelSource(dirname(resolve(model)), basename(model)), devices: ['cpu'] });
  const sources = await encoder.embed(patents.map(patentText));
  const questions = await encoder.embed([...OFF_TOPIC_QUESTIONS, ...probes.map((p) => probeQuestion(p.title, frequency))]);
  const split = OFF_TOPIC_QUESTIONS.length * questions.dim;
  const { separation } = calibrate({ ids: patents.map((p) => p.id), vectors: sources.vectors, dim: sources.dim },
    questions.vectors.subarray(0, split), { ids: probes.map((p) => p.id), vectors: questions.vectors.subarray(split) });
  console.log(JSON.stringify({ model, patents: patents.length, probes: probes.length, separation: Number(separation.toFixed(3)), used: separation >= MIN_SEPARATION }));
  await encoder.destroy?.();
}
