#!/usr/bin/python3
"""Trains the TechToken encoder: a small BERT whose vocabulary has one token per technology code.

usage: /usr/bin/python3 models/recipes/make_techtoken.py [--corpus public/demo/patents.jsonl]
           [--out models/ps-techtoken-tiny] [--until-year Y] [--level subclass|main_group|both]
           [--minutes M] [--seed 0] [--threads 1]

Idea (TechTokenBert): every IPC/CPC code at the chosen level gets its own vocabulary token in bracketed
canonical form without spaces (`[H04L]` for a subclass, the default; `[H04L12/00]` for a main group; `both`
gives a model both sets, each training sequence carrying the codes of one level). The input of a patent is

    [CLS] title [SEP] abstract [SEP] [H01M] [H02J] ... [SEP]        (code tokens sorted; token_type_ids 0)

which is exactly what transformers.js's tokenizer makes of the string "title [SEP] abstract [SEP] [H01M] [H02J]".
A patent without an abstract is `[CLS] title [SEP] [H01M] ... [SEP]`. Training:
  stage 1  masked-LM on text only (`[CLS] title [SEP] abstract [SEP]`): 15 % of text tokens,
           80 % [MASK] / 10 % random token / 10 % unchanged;
  stage 2  TechToken fine-tuning on the full input: code tokens are masked (always [MASK]; half of the
           sequences mask all their codes, the others each code with p 0.5, at least one), plus the
           same 15 % text MLM; 20 % of the batches' sequences are text-only MLM so plain text stays in
           distribution. The loss is cross-entropy on masked positions only (code loss + text loss).
A code's embedding is the output hidden state at its token position, averaged over the patents carrying it.

10 % of the patents (seeded) are held out and never trained on; the manifest lists their ids for a corpus
inside the project, and names the split by derivation and digest for any other (real patents never enter
the project); the masked-code evaluation of models/recipes/eval_techtoken.py runs on them at the end, per level.

Writes (transformers.js local-model layout): config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx (fp32, ONE graph: outputs `logits` and `last_hidden_state`), onnx/model_quantized.onnx (q8)
and onnx/model_q4.onnx (q4) via models/recipes/quantize.py, reference.json, manifest.json.

Modules: techtoken_data.py (patents, split, sequences, masking), techtoken_model.py (the BERT),
techtoken_train.py (stages), techtoken_export.py (ONNX, references, manifest), wordpiece.py (vocabulary),
common.py (shared helpers).
"""
import argparse
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import eval_techtoken  # noqa: E402
import techtoken_export  # noqa: E402
import wordpiece as wp  # noqa: E402
from techtoken_data import LEVELS, code_token, load_patents, split_patents, text_tokens  # noqa: E402
from techtoken_model import TechTokenBert, model_config  # noqa: E402
from techtoken_train import heldout_losses, make_optimizer, train_stage  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="public/demo/patents.jsonl")
    parser.add_argument("--out", default="models/ps-techtoken-tiny")
    parser.add_argument("--until-year", type=int, default=None)
    parser.add_argument("--level", choices=["subclass", "main_group", "both"], default="subclass",
                        help="code tokens per subclass ([H04L]), per main group ([H04L12/00]) or both")
    parser.add_argument("--minutes", type=float, default=12.0, help="training time budget (both stages)")
    parser.add_argument("--stage1-share", type=float, default=0.35)
    parser.add_argument("--max-steps1", type=int, default=0, help="optional step cap for stage 1 (0: time only)")
    parser.add_argument("--max-steps2", type=int, default=0, help="optional step cap for stage 2 (0: time only)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--intermediate", type=int, default=512)
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--vocab-size", type=int, default=6000)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--no-eval", action="store_true")
    args = parser.parse_args()
    assert args.hidden % 32 == 0 and args.intermediate % 32 == 0, "q4 (MatMulNBits) needs K % 32 == 0"
    return args


def main():
    args = parse_args()
    common.setup_torch(args.seed, args.threads)
    rng = random.Random(args.seed)
    t_start = time.time()
    log = common.plain_log

    patents = load_patents(args.corpus)
    pool, train, held = split_patents(patents, args.until_year, args.seed)
    log(f"corpus {args.corpus}: {len(patents)} patents, pool {len(pool)} (until {args.until_year}), "
        f"train {len(train)}, held out {len(held)}")

    # vocabulary: text of the pool, code tokens = the pool's codes at each chosen level (subclasses first)
    levels = ["subclass", "main_group"] if args.level == "both" else [args.level]
    codes_by_level = {lv: sorted({c for p in pool for c in p[LEVELS[lv]]}) for lv in levels}
    code_tokens = [code_token(c) for lv in levels for c in codes_by_level[lv]]
    texts = [p["title"] + "\n" + p["abstract"] for p in pool]
    vocab = wp.learn_vocab(texts, added_tokens=code_tokens + [wp.TECH_SEP], max_size=args.vocab_size)
    tok = wp.Tokenizer(vocab, added_tokens=code_tokens)
    code_ids = [tok.tok2id[t] for t in code_tokens]
    random_ids = list(range(len(wp.SPECIAL), min(code_ids)))  # ordinary text tokens
    log(f"vocabulary {len(vocab)} ({len(code_tokens)} code tokens: " +
        ", ".join(f"{len(codes_by_level[lv])} {lv}" for lv in levels) + ")")

    def item(p):
        t, a = text_tokens(tok, p)
        return t, a, [[tok.tok2id[code_token(c)] for c in p[LEVELS[lv]]] for lv in levels]

    train_items = [item(p) for p in train if p["title"] or p["abstract"]]
    code_items = [it for it in train_items if any(it[2])]
    held_items = [item(p) for p in held if any(p[LEVELS[lv]] for lv in levels)]

    cfg = model_config(len(vocab), args.hidden, args.layers, args.heads, args.intermediate, args.max_len)
    model = TechTokenBert(cfg, dropout=args.dropout)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: hidden {args.hidden}, {args.layers} layers, {args.heads} heads, {params} parameters")
    opt = make_optimizer(model, args.lr, args.weight_decay)

    budget = args.minutes * 60
    s1 = train_stage(model, opt, tok, train_items, 1, budget * args.stage1_share, args.max_steps1, args.batch,
                     args.lr, rng, random_ids, args.max_len, log)
    s2 = train_stage(model, opt, tok, code_items, 2, budget - s1["seconds"], args.max_steps2, args.batch,
                     args.lr * 0.5, rng, random_ids, args.max_len, log)
    model.eval()
    s2["heldout_losses"] = heldout_losses(model, tok, held_items, args.max_len, args.seed)
    train_seconds = round(time.time() - t_start, 1)
    log(f"trained in {train_seconds}s; stage 1 {s1['final_losses']} ({s1['steps']} steps), "
        f"stage 2 {s2['final_losses']} ({s2['steps']} steps), held-out {s2['heldout_losses']}")

    out = args.out
    techtoken_export.export_model(model, tok, cfg, code_tokens, out, args.dropout, args.max_len)
    first = levels[0]   # the reference's code tokens are of the first level (subclasses when present)
    first_tokens = [code_token(c) for c in codes_by_level[first]]
    techtoken_export.write_reference(model, tok, codes_by_level[first], first_tokens,
                                     [tok.tok2id[t] for t in first_tokens], train, out, LEVELS[first])

    evaluation = None
    if not args.no_eval:     # masked-code prediction on the held-out patents, per level
        evaluation = eval_techtoken.evaluate_levels(model, tok, levels, code_tokens, train, held, args.max_len,
                                                    "held-out 10 % of the training pool (never trained on)")

    techtoken_export.write_manifest(out, args, {
        "vocab": vocab, "params": params, "code_tokens": code_tokens, "levels": levels, "patents": patents, "pool": pool,
        "train": train, "held": held, "s1": s1, "s2": s2, "train_seconds": train_seconds, "t_start": t_start,
    }, evaluation, log)


if __name__ == "__main__":
    main()
