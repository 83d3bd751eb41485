#!/usr/bin/python3
"""Builds ps-llama-yesno-bref: the Yes/No Llama of ps-llama-yesno-tiny (same layout, same ONNX interface,
same prompt), trained on the shared real data: EP pollution patents and the BREF sections their reference
dashboard matched.

usage: /usr/bin/python3 models/recipes/make_matcher.py [--data ../shared/data] [--out models/ps-llama-yesno-bref]
          [--minutes 55] [--threads 1] [--seed 0] [--vocab 4096] [--mode full|lora] [--k 50]

  1. data: the 299 sections with text; the patents whose first reference section has text, of which those
     with FNV-1a(id) mod 5 == 0 are held out (eval_patents) and never trained on, in no stage
  2. byte-level BPE learned from the training text (BREF texts and headings, training patents)
  3. stage 1, domain adaptation: next-token prediction on that text (blocks of 512 tokens)
  4. stage 2, Yes/No instruction tuning on the seed's prompt, prompts fitted to the 512-token context as
     YesNoEngine.fitPrompt fits them: each training patent with its reference section (Yes), and sections
     the project's TF-IDF ranks high for it (hard) or random ones (No)
  5. evaluation on the held-out patents: recall@1/@10/@50 and MRR of TF-IDF, of its top K re-ranked by
     P(Yes), of the RRF of both ranks; ROC AUC of P(Yes)
  6. ONNX with the KV cache (llama_export), q4 (quantize.py), reference.json from self-written prompts,
     manifest.json with eval_patents

The step counts are fixed; --minutes caps the wall time (stage 1 gets 33 %, stage 2 45 % of it) and the
manifest records the steps that ran. Modules: matcher_data.py, matcher_train.py, matcher_eval.py,
matcher_export.py, bpe_incremental.py, and the demo recipe's llama_model.py, llama_train.py (stage 1),
llama_export.py, quantize.py, common.py.
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
import llama_export  # noqa: E402
import llama_train  # noqa: E402
import matcher_data as md  # noqa: E402
import matcher_eval  # noqa: E402
import matcher_export  # noqa: E402
import matcher_train  # noqa: E402
import quantize  # noqa: E402
from llama_model import Llama, full_logits, make_config, merge_lora  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--data", default="../shared/data")
parser.add_argument("--out", default="models/ps-llama-yesno-bref")
parser.add_argument("--minutes", type=float, default=55.0)
parser.add_argument("--threads", type=int, default=1)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--vocab", type=int, default=4096)
parser.add_argument("--mode", choices=["full", "lora"], default="full")
parser.add_argument("--lr2", type=float, default=None, help="stage-2 learning rate (full 1e-3, lora 4e-3)")
parser.add_argument("--k", type=int, default=50, help="TF-IDF shortlist re-ranked in the evaluation")
parser.add_argument("--hard-k", type=int, default=50, help="TF-IDF ranks a hard negative is drawn from")
parser.add_argument("--stage1-steps", type=int, default=480)
parser.add_argument("--stage2-steps", type=int, default=420)
parser.add_argument("--stage1-batch", type=int, default=12)
parser.add_argument("--positives", type=int, default=3, help="stage 2: Yes pairs per section group of 8")
parser.add_argument("--no-quantize", action="store_true")
parser.add_argument("--save-stage1", default=None, help="save the stage-1 weights here (for experiments)")
parser.add_argument("--load-stage1", default=None, help="skip stage 1 and load these weights")
args = parser.parse_args()

r = SimpleNamespace(args=args, t_start=time.time())
common.setup_torch(args.seed, args.threads)
log = common.timed_logger(r.t_start)
budget = args.minutes * 60

# ---- data and tokenizer
d = r.d = md.load(args.data)
log(f"{len(d.patents)} patents: {len(d.judged)} with a reference section with text, {len(d.eval_patents)} held out "
    f"({d.held_rule}); {len(d.train_all)} training patents, {len(d.train_pos)} with a reference; "
    f"{len(d.sections)} sections with text of {len(d.sections_all)}; training until {d.until_year}")
docs, r.docs_counts = md.stage1_docs(d)
held = {p["id"] for p in d.eval_patents}
assert not any(p["id"] in held for p in d.train_all)
k = r.k = md.build_tokenizer(docs, args.vocab)
log(f"BPE vocabulary {k.V} ({len(k.merges)} merges); Yes={k.YES} No={k.NO}")
cfg = r.cfg = make_config(k.V)
model = Llama(cfg)
r.n_params = sum(p.numel() for p in model.parameters())
log(f"model: {r.n_params} parameters, config {cfg}")
r.stream = llama_train.token_stream(k, docs)
log(f"stage 1 corpus: {len(docs)} documents, {len(r.stream)} tokens")

# ---- stage-2 pairs: positives, TF-IDF hard negatives (training patents only)
tfidf = md.Tfidf([md.section_text(s) for s in d.sections])
fitter = md.Fitter(k, cfg["max_position_embeddings"])
refs = {p["id"]: {d.sec_index[s] for s in p.get("bref_sections") or [] if s in d.sec_index} for p in d.train_all}
by_id = {p["id"]: p for p in d.train_all}
positives, hard = {}, {}
for p, sid in d.train_pos:
    positives.setdefault(d.sec_index[sid], []).append(p["id"])
    order, _ = tfidf.ranking(md.patent_text(p))
    for si in order[:args.hard_k]:
        if si not in refs[p["id"]]:
            hard.setdefault(si, []).append(p["id"])
r.pair_counts = {"positive": len(d.train_pos), "hard_negative_pool": sum(len(v) for v in hard.values()),
                 "hard_negatives_from_tfidf_top": args.hard_k,
                 "sections_with_positives": len(positives)}
log(f"stage 2 pairs: {r.pair_counts}")
prompt_cache = {}


def prompt_ids(si, pid):
    key = (si, pid)
    if key not in prompt_cache:
        prompt_cache[key] = fitter.fit(md.pair_of(d.sections[si], by_id[pid]))
    return prompt_cache[key]


sampler = matcher_train.PairSampler(positives, hard, refs, [p["id"] for p, _ in d.train_pos],
                                    list(range(len(d.sections))), args.seed + 2, pos=args.positives)
probe = [prompt_ids(0, pid) for pid in [p["id"] for p, _ in d.train_pos[:3]]]
matcher_train.check_prefix_path(model, k, probe)
log(f"shared-prefix path checked; probe prompt lengths {[len(x) for x in probe]}")

# ---- stage 1: domain adaptation
if args.load_stage1:
    model.load_state_dict(torch.load(args.load_stage1))
    r.s1 = json.load(open(args.load_stage1 + ".json"))
else:
    llama_train.BLOCK = cfg["max_position_embeddings"]          # blocks of the full context
    r.s1 = llama_train.stage1(model, r.stream, k.V, args.stage1_steps, 0.33 * budget, args.seed, log,
                              batch=args.stage1_batch)
    if args.save_stage1:
        torch.save(model.state_dict(), args.save_stage1)
        json.dump(r.s1, open(args.save_stage1 + ".json", "w"))

# ---- stage 2: Yes/No
lr2 = args.lr2 if args.lr2 is not None else (1e-3 if args.mode == "full" else 4e-3)
r.s2 = matcher_train.stage2(model, k, sampler, prompt_ids, args.stage2_steps, 0.45 * budget, args.seed, log,
                            mode=args.mode, lr=lr2)
model.eval()
lg_before = full_logits(model, probe[0])[-1].detach()
if args.mode == "lora":
    merge_lora(model)
with torch.no_grad():
    r.merge_diff = float((lg_before - full_logits(model, probe[0])[-1]).abs().max())
log(f"{'LoRA merge' if args.mode == 'lora' else 'no merge (full fine-tuning)'}: max logit difference {r.merge_diff:.2e}")

# ---- evaluation on the held-out patents
ev, _ = matcher_eval.evaluate(model, k, d, tfidf, fitter, args.k, log)
r.ev = {"fp32": ev}

# ---- export, references, manifest
out = args.out
common.clear_onnx(out, ["model_q4.onnx", "model.onnx"])
llama_export.export_onnx(model, cfg, k, out)
llama_export.write_configs(cfg, k, out)
if not args.no_quantize:
    quantize.quantize(out, ["q4"])
refs_ = matcher_export.write_reference(model, k, d, out)
log("reference:", [(x["label"], round(x["p_yes"], 4), round(x["q4_emulated_p_yes"], 4)) for x in refs_])
matcher_export.write_manifest(out, r)
log(f"done: wrote {out} in {time.time() - r.t_start:.0f}s")
