/**
 * The grounded chat from the command line, with the app's own code (src/core/chat, the dashboard
 * core, the bundled catalogue and SDG table): a free question is answered from retrieved sources
 * (BM25 over the catalogue sections and the patents), or refused when the data has no source for
 * it; a preset report is composed from the matches without any model. With --model, a local ONNX
 * chat model (transformers.js, greedy) writes the answer from the same tagged sources.
 *
 * usage: npm run ask -- (--question TEXT | --report NAME [--pollutant NAME] [--section ID] [--patent ID])
 *          [--patents FILE] [--catalogue FILE] [--pairs MATCHED.jsonl] [--model DIR] --json OUT
 * NAME: bref-pollutant | bref-patent | patent-pollutant | sdg. --catalogue: section texts, JSON lines
 * {"id","text"} (the shape of bref.jsonl); --pairs: `npm run match` output (the reports' matches).
 * OUT: {"answer","citations":[tags],"context":[{"tag","kind","id"}],"refused":bool,"mode"}.
 */
import { writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  buildPrompt, ChatContext, composeReport, decideRefusal, parseAnswer, Retriever, REPORT_TITLES,
  type ChatMessage, type ContextEntry, type ReportName, type ReportRequest,
} from '../src/core/chat';
import { Dashboard, matchTableFromPairs } from '../src/core/dashboard/dashboard';
import type { Patent } from '../src/core/types';
import { exitWithUsage, parseCli } from './cli-args';
import { bundledReference, readMatchedPairs, readPatents, readSections } from './cli-inputs';

const USAGE = `usage: npm run ask -- (--question TEXT | --report NAME [--pollutant NAME] [--section ID] [--patent ID])
         [--patents FILE] [--catalogue FILE] [--pairs MATCHED.jsonl] [--model DIR] --json OUT
       NAME: ${Object.keys(REPORT_TITLES).join(' | ')}`;

const { values } = parseCli({
  question: { type: 'string' },
  report: { type: 'string' },
  pollutant: { type: 'string' },
  section: { type: 'string' },
  patent: { type: 'string' },
  patents: { type: 'string' },
  catalogue: { type: 'string' },
  pairs: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'string' },
}, USAGE);

if (!values.json) exitWithUsage(USAGE, 'give --json OUT');
if (!values.question === !values.report) exitWithUsage(USAGE, 'give --question TEXT or --report NAME');
if (values.report && !(values.report in REPORT_TITLES)) exitWithUsage(USAGE, `--report must be one of ${Object.keys(REPORT_TITLES).join(', ')}, got "${values.report}"`);
if (values.report && !values.pairs) exitWithUsage(USAGE, 'a report needs --pairs (the matches it reports on)');

/** Tokens kept for the answer: the prompt gets the model's context minus these. */
const ANSWER_TOKENS = 96;

const { catalogue, sdg } = bundledReference();

interface Output {
  answer: string;
  citations: string[];
  context: { tag: string; kind: string; id: string }[];
  refused: boolean;
  mode: 'report' | 'retrieval' | 'model' | 'refusal';
  unsupported?: string[];
  uncitedSentences?: number;
  note?: string | null;
}

function contextOf(entries: readonly ContextEntry[]): Output['context'] {
  return entries.map((e) => ({ tag: e.tag, kind: e.item.kind, id: e.item.id }));
}

function reportRequest(name: ReportName): ReportRequest {
  const pollutant = (): number => {
    if (!values.pollutant) return exitWithUsage(USAGE, `--report ${name} needs --pollutant NAME`);
    const wanted = values.pollutant.toLowerCase();
    const found = catalogue.pollutants.find((p) => p.name.toLowerCase() === wanted) ?? catalogue.pollutants.find((p) => p.name.toLowerCase().includes(wanted));
    if (!found) return exitWithUsage(USAGE, `no catalogue pollutant is called "${values.pollutant}"`);
    return found.index;
  };
  switch (name) {
    case 'bref-pollutant': return { report: name, pollutant: pollutant() };
    case 'bref-patent': return values.section ? { report: name, section: values.section } : exitWithUsage(USAGE, '--report bref-patent needs --section ID');
    case 'patent-pollutant': return values.patent ? { report: name, patent: values.patent } : exitWithUsage(USAGE, '--report patent-pollutant needs --patent ID');
    case 'sdg': return { report: name, pollutant: values.pollutant ? pollutant() : null };
  }
}

interface ChatModel {
  /** The model's context length in tokens. */
  maxTokens: number;
  countTokens(text: string): number;
  /** Greedy answer to the messages (rendered with the model's chat template). */
  answer(messages: ChatMessage[]): Promise<string>;
  dispose(): Promise<void>;
}

/** A local ONNX chat model on the CPU through the app's own chat engine (src/ml/chat/onnx-chat.ts). */
async function loadChatModel(modelDir: string): Promise<ChatModel> {
  const { OnnxChatModel } = await import('../src/ml/chat/onnx-chat');
  const { localModelSource } = await import('../src/ml/local-model');
  const model = await OnnxChatModel.load({
    source: localModelSource(dirname(resolve(modelDir)), basename(resolve(modelDir))),
    kind: 'hub', model: modelDir, device: 'cpu', dtype: 'fp32',
  });
  return {
    maxTokens: model.info().contextTokens,
    countTokens: (text) => model.countTokens(text),
    async answer(messages) {
      let text = '';
      for await (const chunk of model.chat.completions.create({ messages, max_tokens: ANSWER_TOKENS })) text += chunk.delta;
      return text.trim();
    },
    dispose: () => model.unload(),
  };
}

async function answerQuestion(question: string, patents: Patent[], texts: Map<string, string>): Promise<Output> {
  const retriever = new Retriever({
    sections: catalogue.sections, sectionText: (id) => texts.get(id), patents,
    subjects: [...catalogue.pollutants.map((p) => p.name), ...catalogue.documents.map((d) => d.name), ...sdg.goals.map((g) => g.title)],
  });
  const context = new ChatContext();
  const retrieval = await retriever.retrieve(question);
  const refusal = decideRefusal({ question, context: context.entries, retrieval, isSubject: (t) => retriever.isSubject(t) });
  if (refusal) return { answer: refusal.message, citations: [], context: [], refused: true, mode: 'refusal' };
  for (const hit of retrieval.items) context.add(hit.item, 'retrieval');
  if (!values.model) {
    // Without a model the answer is the sources themselves, each sentence cited.
    const lines = context.entries.map((e) => `${e.item.kind === 'patent' ? 'Patent' : 'BREF section'} ${e.item.id}: ${'title' in e.item ? e.item.title ?? '' : ''} [${e.tag}].`);
    return { answer: lines.join('\n'), citations: context.entries.map((e) => e.tag), context: contextOf(context.entries), refused: false, mode: 'retrieval' };
  }
  const model = await loadChatModel(values.model);
  let prompt;
  let text;
  try {
    prompt = buildPrompt({ question, entries: context.entries, budget: model.maxTokens - ANSWER_TOKENS, countTokens: (t) => model.countTokens(t) });
    text = await model.answer(prompt.messages);
  } finally {
    await model.dispose();
  }
  const parsed = parseAnswer(text, (tag) => context.byTag(tag));
  return {
    answer: text, citations: parsed.supported, unsupported: parsed.unsupported, uncitedSentences: parsed.uncited,
    context: contextOf(context.entries), refused: false, mode: 'model', note: prompt.note,
  };
}

async function main(): Promise<void> {
  const patents = values.patents ? await readPatents(values.patents) : [];
  const texts = new Map((values.catalogue ? readSections(values.catalogue) : []).flatMap((r) => (r.text ? [[r.id, r.text] as const] : [])));
  let out: Output;
  if (values.report) {
    const pairs = readMatchedPairs(values.pairs as string);
    // A file without any P(Yes) is a prefilter shortlist: its scores count (as in a job that was not verified).
    const dashboard = new Dashboard(matchTableFromPairs(catalogue, pairs, { fallbackToPrefilter: !pairs.some((p) => p.pYes !== null) }), sdg);
    const byId = new Map(patents.map((p) => [p.id, p]));
    const report = composeReport(dashboard, reportRequest(values.report as ReportName), { patent: (id) => byId.get(id), sectionText: (id) => texts.get(id) });
    out = {
      answer: [report.title, ...report.paragraphs.map((p) => p.text)].join('\n\n'), citations: [...new Set(report.paragraphs.flatMap((p) => p.citations))],
      context: contextOf(report.context), refused: false, mode: 'report',
    };
  } else {
    out = await answerQuestion(values.question as string, patents, texts);
  }
  writeFileSync(values.json as string, `${JSON.stringify(out, null, 1)}\n`);
  console.error(out.refused ? `refused: ${out.answer}` : `${out.mode}: ${out.citations.length} sources cited, written to ${values.json}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
