#!/usr/bin/python3
"""Trains the TechToken encoder: a small BERT whose vocabulary has one token per technology code.

usage: /usr/bin/python3 models/recipes/make_techtoken.py [--corpus public/demo/patents.jsonl]
           [--out models/ps-techtoken-tiny] [--until-year Y] [--minutes M] [--seed 0] [--threads 1]

Idea (TechTokenBert): every IPC/CPC subclass gets its own vocabulary token in bracketed canonical form
(`[H04L]`). The input of a patent is

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

10 % of the patents (seeded) are held out and never trained on; their ids go into the manifest, and the
masked-code evaluation of models/recipes/eval_techtoken.py runs on them at the end.

Writes (transformers.js local-model layout): config.json, tokenizer.json, tokenizer_config.json,
onnx/model.onnx (fp32, ONE graph: outputs `logits` and `last_hidden_state`), onnx/model_quantized.onnx (q8)
and onnx/model_q4.onnx (q4) via models/recipes/quantize.py, reference.json, manifest.json.
"""
import argparse
import hashlib
import json
import math
import os
import random
import re
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wordpiece as wp  # noqa: E402

CODE_RE = re.compile(r"^[A-HY]\d\d[A-Z]")
REFERENCE_TEXTS = [
    "Battery anode with lithium electrolyte for fast charging",
    "Wireless network handover with packet scheduling",
    "A filter comprising a membrane and a scrubber is disclosed.",
]
REFERENCE_TECHTOKEN = {
    "title": "Battery pack with charging control",
    "abstract": "A lithium battery cell with an anode and a cathode is coupled to a charging circuit "
                "that controls the grid connection.",
    "codes": ["H01M", "H02J"],
}


# ---------------- data ----------------
def subclasses(codes):
    """Sorted distinct subclasses of the codes that look like IPC/CPC codes (^[A-HY]\\d\\d[A-Z])."""
    return sorted({c.strip()[:4] for c in codes or [] if CODE_RE.match(c.strip())})


def load_patents(path):
    patents = []
    with open(path) as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                patents.append({"id": str(p["id"]), "year": p.get("year"), "title": p.get("title") or "",
                                "abstract": p.get("abstract") or "", "subclasses": subclasses(p.get("codes"))})
    return patents


def split_patents(patents, until_year, seed, holdout=0.1):
    """(pool, train, held_out): pool = patents with year <= until_year (all when None), held_out = seeded 10 % of it."""
    pool = [p for p in patents if until_year is None or (p["year"] is not None and p["year"] <= until_year)]
    ids = sorted(p["id"] for p in pool)
    random.Random(seed).shuffle(ids)
    held = set(ids[:round(len(ids) * holdout)])
    return pool, [p for p in pool if p["id"] not in held], [p for p in pool if p["id"] in held]


def text_tokens(tok, p):
    """(title token ids, abstract token ids) without specials."""
    return tok.encode(p["title"], add_special_tokens=False), tok.encode(p["abstract"], add_special_tokens=False)


def build_sequence(tok, title_ids, abstract_ids, code_ids, max_len):
    """[CLS] title [SEP] abstract [SEP] codes [SEP] (abstract segment dropped when empty; no codes part when
    code_ids is None). Truncates the abstract, then the title. Returns (ids, first code position)."""
    n_codes = len(code_ids) if code_ids else 0
    fixed = 2 + (1 if abstract_ids else 0) + (n_codes + 1 if n_codes else 0)  # [CLS] [SEP] ([SEP]) (codes [SEP])
    room = max(1, max_len - fixed)
    t = title_ids[:room]
    a = abstract_ids[:room - len(t)]
    ids = [tok.cls_id] + t + [tok.sep_id]
    if a:
        ids += a + [tok.sep_id]
    first = len(ids)
    if n_codes:
        ids += list(code_ids) + [tok.sep_id]
    return ids, first


# ---------------- model (BERT, post-LN; Linear weights stored [in, out] so ONNX keeps their names) ----------------
class Linear(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * 0.02)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return x @ self.weight + self.bias


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps, dropout):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q, self.k, self.v, self.o = (Linear(hidden, hidden) for _ in range(4))
        self.ln1 = nn.LayerNorm(hidden, eps=eps)
        self.fc1, self.fc2 = Linear(hidden, intermediate), Linear(intermediate, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=eps)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        y = (self.drop(att.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.drop(self.o(y)))
        return self.ln2(x + self.drop(self.fc2(F.gelu(self.fc1(x)))))


class TechTokenBert(nn.Module):
    def __init__(self, c, dropout=0.1):
        super().__init__()
        h, eps = c["hidden_size"], c["layer_norm_eps"]
        self.wte = nn.Embedding(c["vocab_size"], h)
        self.wpe = nn.Embedding(c["max_position_embeddings"], h)
        self.tte = nn.Embedding(c["type_vocab_size"], h)
        for e in (self.wte, self.wpe, self.tte):
            nn.init.normal_(e.weight, std=0.02)
        self.ln = nn.LayerNorm(h, eps=eps)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList(Layer(h, c["num_attention_heads"], c["intermediate_size"], eps, dropout)
                                    for _ in range(c["num_hidden_layers"]))
        self.head_dense = Linear(h, h)
        self.head_ln = nn.LayerNorm(h, eps=eps)
        self.head_bias = nn.Parameter(torch.zeros(c["vocab_size"]))

    def encode(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.drop(self.ln(self.wte(input_ids) + self.wpe(positions) + self.tte(token_type_ids)))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def head(self, x):
        return self.head_ln(F.gelu(self.head_dense(x))) @ self.wte.weight.t() + self.head_bias  # tied decoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.encode(input_ids, attention_mask, token_type_ids)
        return self.head(x), x


def model_config(vocab_size, hidden, layers, heads, intermediate, max_len):
    return dict(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                intermediate_size=intermediate, max_position_embeddings=max_len, type_vocab_size=2,
                layer_norm_eps=1e-12)


def load_from_onnx(model_dir):
    """Rebuilds the torch model from onnx/model.onnx (initializer names = parameter names) + config.json."""
    import onnx
    from onnx import numpy_helper
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    c = {k: cfg[k] for k in ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                             "intermediate_size", "max_position_embeddings", "type_vocab_size", "layer_norm_eps")}
    model = TechTokenBert(c, dropout=0.0)
    inits = {i.name: numpy_helper.to_array(i) for i in onnx.load(os.path.join(model_dir, "onnx", "model.onnx")).graph.initializer}
    state = {k: torch.from_numpy(inits[k].copy()) for k in model.state_dict()}
    model.load_state_dict(state)
    return model.eval()


def pad_batch(seqs, pad_id):
    t = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), t), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        mask[i, :len(s)] = 1
    return ids, mask


# ---------------- training ----------------
def mask_text(ids, maskable, tok, rng, random_ids, rate=0.15):
    """BERT masking of the positions in `maskable`: returns (input ids, {position: label})."""
    ids = list(ids)
    labels = {}
    chosen = [i for i in maskable if rng.random() < rate]
    if not chosen and maskable:
        chosen = [rng.choice(maskable)]
    for i in chosen:
        labels[i] = ids[i]
        r = rng.random()
        if r < 0.8:
            ids[i] = tok.mask_id
        elif r < 0.9:
            ids[i] = rng.choice(random_ids)
    return ids, labels


def make_example(tok, item, stage, rng, random_ids, max_len):
    """item = (title ids, abstract ids, code ids). Returns (ids, text labels, code labels)."""
    title, abstract, codes = item
    with_codes = stage == 2 and codes and rng.random() < 0.8
    ids, first = build_sequence(tok, title, abstract, codes if with_codes else None, max_len)
    text_end = first if with_codes else len(ids)
    maskable = [i for i in range(1, text_end) if ids[i] != tok.sep_id]
    ids, text_labels = mask_text(ids, maskable, tok, rng, random_ids)
    code_labels = {}
    if with_codes:
        positions = list(range(first, first + len(codes)))
        if rng.random() < 0.5:
            chosen = positions
        else:
            chosen = [i for i in positions if rng.random() < 0.5] or [rng.choice(positions)]
        for i in chosen:
            code_labels[i] = ids[i]
            ids[i] = tok.mask_id
    return ids, text_labels, code_labels


def masked_loss(model, batch, tok):
    seqs = [b[0] for b in batch]
    ids, mask = pad_batch(seqs, tok.pad_id)
    hidden = model.encode(ids, mask, torch.zeros_like(ids))
    out = {}
    for kind, k in (("text", 1), ("code", 2)):
        rows, cols, labels = [], [], []
        for r, b in enumerate(batch):
            for pos, lab in b[k].items():
                rows.append(r)
                cols.append(pos)
                labels.append(lab)
        if labels:
            logits = model.head(hidden[torch.tensor(rows), torch.tensor(cols)])
            out[kind] = F.cross_entropy(logits, torch.tensor(labels))
    return out


def train_stage(model, opt, tok, items, stage, seconds, max_steps, batch_size, lr, rng, random_ids, max_len, log):
    model.train()
    t0, step, warmup = time.time(), 0, 100
    recent = {"text": [], "code": []}
    history = []
    while True:
        elapsed = time.time() - t0
        if elapsed >= seconds or (max_steps and step >= max_steps):
            break
        progress = min(1.0, max(elapsed / seconds, step / max_steps if max_steps else 0.0))
        cur = lr * min(1.0, (step + 1) / warmup) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
        for g in opt.param_groups:
            g["lr"] = cur
        batch = [make_example(tok, items[rng.randrange(len(items))], stage, rng, random_ids, max_len)
                 for _ in range(batch_size)]
        losses = masked_loss(model, batch, tok)
        loss = losses.get("code", 0.0) + (0.5 if stage == 2 else 1.0) * losses.get("text", 0.0)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        for k, v in losses.items():
            recent[k].append(v.item())
        if step % 100 == 0:
            msg = {k: round(sum(v[-100:]) / len(v[-100:]), 4) for k, v in recent.items() if v}
            history.append({"step": step, "seconds": round(time.time() - t0, 1), **msg})
            log(f"stage {stage} step {step} {time.time() - t0:.0f}s lr {cur:.2e} " +
                " ".join(f"{k}_loss {v:.4f}" for k, v in msg.items()))
    final = {k: round(sum(v[-100:]) / max(1, len(v[-100:])), 4) for k, v in recent.items() if v}
    return {"steps": step, "seconds": round(time.time() - t0, 1), "final_losses": final, "history": history}


@torch.no_grad()
def heldout_losses(model, tok, items, max_len, seed):
    """Mean masked losses on held-out patents with the stage-2 masking (fixed seed)."""
    model.eval()
    rng = random.Random(seed + 7)
    random_ids = list(range(len(wp.SPECIAL), tok.tok2id[wp.TECH_SEP]))
    sums, counts = {}, {}
    for i in range(0, len(items), 64):
        batch = [make_example(tok, it, 2, rng, random_ids, max_len) for it in items[i:i + 64]]
        for k, v in masked_loss(model, batch, tok).items():
            sums[k] = sums.get(k, 0.0) + v.item()
            counts[k] = counts.get(k, 0) + 1
    return {k: round(sums[k] / counts[k], 4) for k in sums}


# ---------------- main ----------------
def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="public/demo/patents.jsonl")
    parser.add_argument("--out", default="models/ps-techtoken-tiny")
    parser.add_argument("--until-year", type=int, default=None)
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

    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    t_start = time.time()
    log = lambda m: print(m, flush=True)

    patents = load_patents(args.corpus)
    pool, train, held = split_patents(patents, args.until_year, args.seed)
    log(f"corpus {args.corpus}: {len(patents)} patents, pool {len(pool)} (until {args.until_year}), "
        f"train {len(train)}, held out {len(held)}")

    # vocabulary: text of the pool, code tokens = subclasses of the pool
    codes = sorted({c for p in pool for c in p["subclasses"]})
    code_tokens = ["[" + c + "]" for c in codes]
    texts = [p["title"] + "\n" + p["abstract"] for p in pool]
    vocab = wp.learn_vocab(texts, added_tokens=code_tokens + [wp.TECH_SEP], max_size=args.vocab_size)
    tok = wp.Tokenizer(vocab, added_tokens=code_tokens)
    code_ids = [tok.tok2id[t] for t in code_tokens]
    random_ids = list(range(len(wp.SPECIAL), min(code_ids)))  # ordinary text tokens
    log(f"vocabulary {len(vocab)} ({len(code_tokens)} code tokens)")

    def item(p):
        t, a = text_tokens(tok, p)
        return t, a, [tok.tok2id["[" + c + "]"] for c in p["subclasses"]]

    train_items = [item(p) for p in train if p["title"] or p["abstract"]]
    code_items = [it for it in train_items if it[2]]
    held_items = [item(p) for p in held if p["subclasses"]]

    cfg = model_config(len(vocab), args.hidden, args.layers, args.heads, args.intermediate, args.max_len)
    model = TechTokenBert(cfg, dropout=args.dropout)
    params = sum(p.numel() for p in model.parameters())
    log(f"model: hidden {args.hidden}, {args.layers} layers, {args.heads} heads, {params} parameters")
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=args.lr)

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

    # ---------------- export ----------------
    out = args.out
    os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
    for old in os.listdir(os.path.join(out, "onnx")):
        os.remove(os.path.join(out, "onnx", old))
    example = torch.tensor([tok.encode("battery anode [SEP] a cell [SEP] " + code_tokens[0])], dtype=torch.long)
    io_names = ["input_ids", "attention_mask", "token_type_ids", "logits", "last_hidden_state"]
    torch.onnx.export(model, (example, torch.ones_like(example), torch.zeros_like(example)),
                      os.path.join(out, "onnx", "model.onnx"),
                      input_names=io_names[:3], output_names=io_names[3:],
                      dynamic_axes={n: {0: "batch_size", 1: "sequence_length"} for n in io_names},
                      opset_version=14, do_constant_folding=True)
    subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "quantize.py"), out,
                    "--variants", "q8,q4"], check=True)
    json.dump({"architectures": ["BertForMaskedLM"], "model_type": "bert", **cfg, "hidden_act": "gelu",
               "hidden_dropout_prob": args.dropout,
               "attention_probs_dropout_prob": args.dropout, "pad_token_id": 0,
               "transformers.js_config": {"dtype": "fp32"}},
              open(os.path.join(out, "config.json"), "w"), indent=2)
    check = load_from_onnx(out)   # the eval script rebuilds the model this way: make sure it round-trips
    with torch.no_grad():
        a = model(example, torch.ones_like(example), torch.zeros_like(example))[1]
        b = check(example, torch.ones_like(example), torch.zeros_like(example))[1]
    assert torch.allclose(a, b, atol=1e-5), "ONNX initializers do not round-trip to the torch model"

    wp.write_tokenizer(out, tok, model_max_length=args.max_len)

    # ---------------- reference outputs (torch, python tokenizer) ----------------
    references = []
    with torch.no_grad():
        def run(ids):
            t = torch.tensor([ids], dtype=torch.long)
            return model(t, torch.ones_like(t), torch.zeros_like(t))

        for text in REFERENCE_TEXTS:
            ids = tok.encode(text)
            _, hidden = run(ids)
            references.append({"text": text, "input_ids": ids,
                               "embedding": F.normalize(hidden[0].mean(0), dim=0).tolist()})
        ref_codes = [c for c in REFERENCE_TECHTOKEN["codes"] if c in codes]
        if len(ref_codes) < 2:  # a corpus without H01M/H02J: the two most frequent codes instead
            freq = {}
            for p in train:
                for c in p["subclasses"]:
                    freq[c] = freq.get(c, 0) + 1
            ref_codes = sorted(sorted(freq, key=lambda c: (-freq[c], c))[:2])
        ref_tokens = ["[" + c + "]" for c in ref_codes]
        tt_text = f"{REFERENCE_TECHTOKEN['title']} [SEP] {REFERENCE_TECHTOKEN['abstract']} [SEP] {' '.join(ref_tokens)}"
        tt_ids = tok.encode(tt_text)
        positions = [i for i, t in enumerate(tt_ids) if t in set(code_ids)]
        _, hidden = run(tt_ids)
        techtoken = {"text": tt_text, "input_ids": tt_ids, "code_tokens": ref_tokens, "positions": positions,
                     "hidden_states": [F.normalize(hidden[0, i], dim=0).tolist() for i in positions]}
        m_text = f"{REFERENCE_TECHTOKEN['title']} [SEP] {REFERENCE_TECHTOKEN['abstract']} [SEP] " + \
                 " ".join("[MASK]" for _ in ref_tokens)
        m_ids = tok.encode(m_text)
        m_pos = [i for i, t in enumerate(m_ids) if t == tok.mask_id]
        logits, _ = run(m_ids)
        row = logits[0, m_pos[0], code_ids]
        top = torch.topk(row, 5)
        masked = {"text": m_text, "input_ids": m_ids, "mask_positions": m_pos, "restricted_to": "code tokens",
                  "top5": [{"token": code_tokens[j], "id": code_ids[j], "logit": row[j].item()}
                           for j in top.indices.tolist()]}
    json.dump({"pooling": "mean", "normalize": True, "dtype": "fp32", "token_type_ids": "zeros",
               "references": references, "techtoken": techtoken, "masked": masked,
               "tolerance": {"fp32": 0.9999, "q8": 0.99, "q4": 0.98}},
              open(os.path.join(out, "reference.json"), "w"))

    # ---------------- evaluation on the held-out patents ----------------
    evaluation = None
    if not args.no_eval:
        import eval_techtoken
        evaluation = eval_techtoken.evaluate(model, tok, code_tokens, train, held, args.max_len)
        evaluation["split"] = "held-out 10 % of the training pool (never trained on)"
        eval_techtoken.print_report(evaluation)

    # ---------------- manifest ----------------
    files = {}
    for root, _, names in os.walk(out):
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, out)
            if rel != "manifest.json":
                files[rel] = {"bytes": os.path.getsize(path),
                              "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}
    strip = lambda s: {k: v for k, v in s.items() if k != "history"}
    manifest = {
        "name": os.path.basename(os.path.normpath(out)),
        "kind": "techtoken-encoder",
        "architecture": {"type": "bert", "hidden": args.hidden, "layers": args.layers, "heads": args.heads,
                         "intermediate": args.intermediate, "max_positions": args.max_len, "vocab": len(vocab),
                         "parameters": params, "tied_decoder": True},
        "outputs": ["logits", "last_hidden_state"],
        "code_level": "subclass",
        "code_token_format": "[XXXX]",
        "code_tokens": code_tokens,
        "separator_token": "[SEP]",
        "reserved_tokens": {wp.TECH_SEP: "in the vocabulary (special), not used in training"},
        "input_template": "[CLS] {title} [SEP] {abstract} [SEP] {code tokens, sorted, space-separated} [SEP]",
        "tokenizer_text_template": "{title} [SEP] {abstract} [SEP] {code tokens}",
        "no_abstract_template": "[CLS] {title} [SEP] {code tokens} [SEP]",
        "text_only_template": "[CLS] {title} [SEP] {abstract} [SEP]",
        "code_embedding": "hidden state at the code token's position, averaged over the patents carrying the code",
        "training": {
            "status": "trained", "recipe": "models/recipes/make_techtoken.py",
            "command": "/usr/bin/python3 " + " ".join(sys.argv), "seed": args.seed, "threads": args.threads,
            "corpus": args.corpus, "patents_in_corpus": len(patents), "until_year": args.until_year,
            "pool_patents": len(pool), "train_patents": len(train), "held_out_patents": len(held),
            "held_out_ids": sorted(p["id"] for p in held),
            "vocabulary": "WordPiece learned from the pool's titles and abstracts (models/recipes/wordpiece.py); "
                          "code tokens = subclasses of the pool's patents",
            "batch": args.batch, "max_len": args.max_len, "lr": args.lr, "dropout": args.dropout,
            "weight_decay": args.weight_decay, "minutes_budget": args.minutes,
            "stage1": {"task": "text MLM 15 % (80/10/10)", **strip(s1)},
            "stage2": {"task": "TechToken: masked code tokens + 15 % text MLM, 20 % text-only", **strip(s2)},
            "train_seconds": train_seconds,
            "loss_history": {"stage1": s1["history"], "stage2": s2["history"]},
        },
        "evaluation": evaluation,
        "variants": {"fp32": "onnx/model.onnx", "q8": "onnx/model_quantized.onnx", "q4": "onnx/model_q4.onnx"},
        "reference": "reference.json: fp32 torch outputs; transformers.js must reach cosine >= 0.9999 (fp32), "
                     ">= 0.99 (q8), >= 0.98 (q4)",
        "files": files,
    }
    json.dump(manifest, open(os.path.join(out, "manifest.json"), "w"), indent=2)
    big = {k: v["bytes"] for k, v in files.items() if v["bytes"] > 10 * 1024 * 1024}
    log(f"wrote {out}: vocab {len(vocab)}, {params} params, total {time.time() - t_start:.0f}s; " +
        ", ".join(f"{k} {v['bytes']}" for k, v in files.items() if k.startswith("onnx/")))
    if big:
        log(f"WARNING: files over 10 MB: {big}")


if __name__ == "__main__":
    main()
