#!/usr/bin/python3
"""Builds ps-llama-yesno-tiny: a small Llama-style decoder that answers Yes/No to "is this patent
useful for this pollution-abatement technique?" (the seed's prompt), and answers short questions
about the demo catalogue. Everything is trained here from the project's own generated text.

usage: /usr/bin/python3 models/recipes/make_llama.py [--demo public/demo] [--out models/ps-llama-yesno-tiny]
                                                    [--minutes 28] [--threads 1] [--seed 0]

  1. byte-level BPE tokenizer learned from the training text (bpe.py), ChatML chat template,
     `Yes` and `No` single tokens
  2. Llama decoder: RMSNorm, RoPE, grouped-query attention, SwiGLU, tied lm_head
  3. stage 1: next-token training on the training patents' titles+abstracts, the technique
     catalogue and short grounded Q&A chats
  4. stage 2: LoRA on every attention and MLP linear (base frozen), Yes/No answers to the seed's
     prompt over (technique, patent) pairs with balanced labels (+ a little chat replay);
     a seeded 20 % of the PATENTS is held out (all their pairs) and never trained on
  5. LoRA merged into the weights; ROC AUC of P(Yes) on every held-out pair (fp32 and with q4
     weight rounding emulated), ONNX export with the KV cache, q4 via quantize.py,
     reference.json and manifest.json

The step counts are fixed (reproducible); --minutes caps the wall time of the two training stages
(stage 1 gets 35 %, stage 2 55 % of it) and the manifest records the steps that actually ran.
--stage1-steps / --stage2-steps change the step counts (and with them the cosine schedules).

Modules: llama_data.py (corpus, prompts, Q&A, tokenizer), llama_model.py (decoder, LoRA),
llama_train.py (stages), llama_eval.py (AUC, chat, q4 emulation), llama_export.py (ONNX, references,
manifest), common.py (shared helpers).
"""
import argparse
import json
import os
import sys
import time
from types import SimpleNamespace

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import torch  # noqa: E402

import common  # noqa: E402
import llama_data  # noqa: E402
import llama_eval  # noqa: E402
import llama_export  # noqa: E402
import llama_train  # noqa: E402
import quantize  # noqa: E402
from llama_model import Llama, full_logits, make_config, merge_lora  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--demo", default="public/demo")
parser.add_argument("--out", default="models/ps-llama-yesno-tiny")
parser.add_argument("--minutes", type=float, default=28.0)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--stage1-steps", type=int, default=400)
parser.add_argument("--stage2-steps", type=int, default=800)
parser.add_argument("--no-quantize", action="store_true")
parser.add_argument("--lr2", type=float, default=4e-3)
parser.add_argument("--save-stage1", default=None, help="save the stage-1 weights here (for experiments)")
parser.add_argument("--load-stage1", default=None, help="skip stage 1 and load these weights")
args = parser.parse_args()

r = SimpleNamespace(args=args, t_start=time.time())     # what the manifest reports
common.setup_torch(args.seed, args.threads)
log = common.timed_logger(r.t_start)

# ---- data, tokenizer, model (this order fixes the RNG streams: the model's init draws from torch's seed)
d = r.d = llama_data.load_demo(args.demo, args.seed)
log(f"{len(d.patents)} patents ({len(d.train_patents)} train, {len(d.test_patents)} held out), "
    f"{len(d.techniques)} techniques")
r.qa = llama_data.chat_pairs(d, args.seed)
r.chat_question = f"Which pollutants does technique {d.techniques[2]['id']} abate?"
r.docs = llama_data.stage1_docs(d, r.qa)
k = r.k = llama_data.build_tokenizer(r.docs, d)
log(f"BPE vocabulary {k.V} ({len(k.merges)} merges); Yes={k.YES} No={k.NO}")
cfg = r.cfg = make_config(k.V)
model = Llama(cfg)
r.n_params = sum(p.numel() for p in model.parameters())
log(f"model: {r.n_params} parameters, config {cfg}")

r.stream = llama_train.token_stream(k, r.docs)
log(f"stage 1 corpus: {len(r.docs)} documents, {len(r.stream)} tokens")
batcher = llama_train.PromptBatcher(k, d.techniques + d.decoy_sections)
batcher.check_split(d.techniques, d.patents)
batcher.check_cache(model, d.techniques[0], d.patents[0], d.patents[1])
r.train_pos = {t["id"]: [p for p in d.train_patents if p["id"] in d.relevant[t["id"]]] for t in d.techniques}
train_neg = {t["id"]: [p for p in d.train_patents if p["id"] not in d.relevant[t["id"]]] for t in d.techniques}
# The demo's BREF sections (techniques with a "bref" field) share their patents' style, so random negatives
# (mostly technology patents) teach them little: half of their negatives are other sections' patents.
r.tied = [t for t in d.techniques if t.get("bref")]
tied_patents = set().union(*(d.relevant[t["id"]] for t in r.tied)) if r.tied else set()
hard_neg = {t["id"]: [p for p in train_neg[t["id"]] if p["id"] in tied_patents] for t in r.tied}
# Decoys: each BREF section a demo job would shortlist beside a TRAINING pollution patent's own section,
# with those patents as its negatives (held-out patents' decoys are only evaluated).
decoy_by_id = {s["id"]: s for s in d.decoy_sections}
decoy_groups = {}
for p in d.train_patents:
    for sid in d.decoys_of.get(p["id"], []):
        decoy_groups.setdefault(sid, []).append(p)
r.decoy_groups = [(decoy_by_id[sid], ps) for sid, ps in sorted(decoy_groups.items())]
log(f"{len(r.tied)} BREF sections, {len(r.decoy_groups)} decoy sections over {sum(len(ps) for _, ps in r.decoy_groups)} training pairs")
r.examples = llama_train.chat_examples(k, r.qa)

# ---- training
budget = args.minutes * 60
if args.load_stage1:
    model.load_state_dict(torch.load(args.load_stage1))
    r.s1 = json.load(open(args.load_stage1 + ".json"))
else:
    r.s1 = llama_train.stage1(model, r.stream, k.V, args.stage1_steps, 0.35 * budget, args.seed, log)
    if args.save_stage1:
        torch.save(model.state_dict(), args.save_stage1)
        json.dump(r.s1, open(args.save_stage1 + ".json", "w"))
with torch.no_grad():
    model.eval()
    r.before = llama_eval.evaluate(model, batcher, d, "after stage 1 (no LoRA)", log)[0]["auc"] \
        if os.environ.get("EVAL_STAGE1") else None
    r.chat1 = llama_eval.chat_accuracy(model, r.qa, r.examples, k.IM_END)
    log(f"chat exact match after stage 1: {r.chat1}")
r.s2 = llama_train.stage2(model, batcher, k, d.techniques, r.train_pos, train_neg, r.examples,
                          args.stage2_steps, 0.55 * budget, args.seed, log, lr=args.lr2, hard_neg=hard_neg,
                          decoy_groups=r.decoy_groups)
model.eval()

# ---- merge LoRA into the weights; check it changes nothing
probe_ids = k.tok.encode(llama_data.yesno_prompt(d.techniques[0], d.test_patents[0]))
with torch.no_grad():
    lg_lora = full_logits(model, probe_ids)[-1]
merge_lora(model)
with torch.no_grad():
    lg_merged = full_logits(model, probe_ids)[-1]
r.merge_diff = float((lg_lora - lg_merged).abs().max())
log(f"LoRA merge: max logit difference {r.merge_diff:.2e}")

# ---- evaluation
r.chat2 = llama_eval.chat_accuracy(model, r.qa, r.examples, k.IM_END)
log(f"chat exact match after stage 2 (merged): {r.chat2}")
r.ev32, scores32 = llama_eval.evaluate(model, batcher, d, "fp32", log)
try:
    r.ev_bref = llama_eval.tied_evaluation(model, batcher, scores32, d, r.tied, tied_patents, decoy_by_id, log)
except Exception as error:  # an extra figure: never lose the trained model over it
    log(f"BREF-section evaluation failed: {error!r}")
    r.ev_bref = None
r.ev4, _ = llama_eval.evaluate(llama_eval.q4_emulated(model), batcher, d, "q4 (emulated weight rounding)", log)

# ---- export, references, manifest
out = args.out
common.clear_onnx(out, ["model_q4.onnx", "model.onnx"])
llama_export.export_onnx(model, cfg, k, out)
llama_export.write_configs(cfg, k, out)
if not args.no_quantize:
    quantize.quantize(out, ["q4"])
refs, gen = llama_export.reference(model, k, d.relevant, llama_export.reference_prompts(d), r.chat_question)
llama_export.add_q4_p_yes(refs, llama_eval.q4_emulated(model), k)
log("reference:", [(r_["label"], round(r_["p_yes"], 4)) for r_ in refs], "| chat:", repr(gen["generated_text"]))
llama_export.write_reference(out, k, refs, gen)
llama_export.write_manifest(out, r)
log(f"done: fp32 AUC {r.ev32['auc']}, q4-emulated AUC {r.ev4['auc']}; wrote {out}")
