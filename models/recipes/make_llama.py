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
"""
import argparse
import hashlib
import json
import math
import os
import random
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bpe as bpe_lib  # noqa: E402

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

T_START = time.time()
torch.manual_seed(args.seed)
torch.set_num_threads(args.threads)
torch.set_flush_denormal(True)


def log(*a):
    print(f"[{time.time() - T_START:7.1f}s]", *a, flush=True)


# ============================ 1. data ============================
patents = [json.loads(line) for line in open(os.path.join(args.demo, "patents.jsonl")) if line.strip()]
truth = json.load(open(os.path.join(args.demo, "ground-truth.json")))
catalogue = json.load(open(os.path.join(args.demo, "techniques.json")))
relevance = json.load(open(os.path.join(args.demo, "technique-relevance.json")))
techniques = catalogue["techniques"]
relevant = {t["id"]: set(relevance[t["id"]]) for t in techniques}

# Held-out PATENTS: a seeded 20 % (all their pairs are evaluation only).
ids_sorted = sorted(p["id"] for p in patents)
held_rng = random.Random(truth["seed"] * 1000003 + args.seed)
held_out = set(held_rng.sample(ids_sorted, round(0.2 * len(ids_sorted))))
train_patents = [p for p in patents if p["id"] not in held_out]
test_patents = [p for p in patents if p["id"] in held_out]
log(f"{len(patents)} patents ({len(train_patents)} train, {len(test_patents)} held out), {len(techniques)} techniques")

YESNO_SYSTEM = ("You are an engineer expert of environmental regulations who assesses whether patents can be "
                "useful for specific pollution abatement processes")
YESNO_USER = ("Given a regulatory section title, pollution abatement process description, and patent description, "
              "determine if the patent is useful for the described process.\n"
              "Section Title: {section_title}\n"
              "Pollution Abatement Process: {technique}\n"
              "Patent: {patent_title}\n{patent_abstract}\n"
              "Only answer Yes or No")
CHAT_SYSTEM = ("You are the Patent Space assistant. Answer from the demo catalogue of patents, technology codes "
               "and pollution abatement techniques.")
CHAT_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
                 "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def render_chat(messages, add_generation_prompt=True):
    """Python twin of CHAT_TEMPLATE (what transformers.js apply_chat_template renders)."""
    s = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return s + ("<|im_start|>assistant\n" if add_generation_prompt else "")


def yesno_user(t, p):
    return YESNO_USER.format(section_title=t["sectionTitle"], technique=t["description"],
                             patent_title=p["title"], patent_abstract=p.get("abstract") or "")


def yesno_prompt(t, p):
    return render_chat([{"role": "system", "content": YESNO_SYSTEM}, {"role": "user", "content": yesno_user(t, p)}])


def yesno_prefix(t):
    """The prompt text up to (not including) "Patent:": identical for every patent of a technique."""
    full = yesno_prompt(t, {"title": "\x00", "abstract": ""})
    return full[:full.index("Patent: \x00")]


def join_words(ws):
    return ws[0] if len(ws) == 1 else ", ".join(ws[:-1]) + " and " + ws[-1]


# Words of each main group, from the training patents that carry it (single-code patents first).
doc_freq = {}
for p in train_patents:
    for w in set((p["title"] + " " + p.get("abstract", "")).lower().replace(".", " ").split()):
        doc_freq[w] = doc_freq.get(w, 0) + 1
stop = {w for w, c in doc_freq.items() if c > 0.12 * len(train_patents)} | {"a", "for", "the", "of", "and"}


def main_group(code):
    head, _, tail = code.partition(" ")
    return f"{head} {tail.split('/')[0]}/00" if tail else None


group_words = {}
for g in truth["mainGroups"]:
    carriers = [p for p in train_patents if g in {main_group(c) for c in p["codes"]}]
    single = [p for p in carriers if len({main_group(c) for c in p["codes"]}) == 1]
    counts = {}
    for p in (single if len(single) >= 3 else carriers):
        for w in (p["title"] + " " + p.get("abstract", "")).lower().replace(".", " ").split():
            if w not in stop:
                counts[w] = counts.get(w, 0) + 1
    group_words[g] = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]
subclass_words = {}
for s in truth["subclasses"]:
    counts = {}
    for g in truth["mainGroups"]:
        if g.startswith(s + " "):
            for w in group_words[g]:
                counts[w] = counts.get(w, 0) + 1
    subclass_words[s] = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]]


def chat_pairs():
    """Grounded Q&A: every answer comes from the catalogue, the ground truth or the corpus."""
    qa = []
    by_pollutant = {}
    for t in techniques:
        tid = t["id"]
        for pol in t["pollutants"]:
            by_pollutant.setdefault(pol, []).append(tid)
        pols = join_words(t["pollutants"]) + "."
        qa.append((f"Which pollutants does technique {tid} abate?", pols))
        qa.append((f"What pollutants does {tid} reduce?", pols))
        first = t["description"].split(". ")[0].rstrip(".") + "."
        qa.append((f"What is technique {tid}?", f"{tid} is the section \"{t['sectionTitle']}\". {first}"))
        qa.append((f"Which technology codes is {tid} about?", join_words(t["anchorGroups"]) + "."))
    for pol, tids in sorted(by_pollutant.items()):
        qa.append((f"Which techniques abate {pol}?", join_words(tids) + "."))
    for g in truth["mainGroups"]:
        s = g.split(" ")[0]
        if group_words[g]:
            qa.append((f"What is code {g} about?",
                       f"{g} is a main group of {s} in the {truth['themeOfSubclass'][s]} theme. "
                       f"Its patents are about {join_words(group_words[g])}."))
    for s in truth["subclasses"]:
        qa.append((f"What is subclass {s} about?",
                   f"{s} belongs to the {truth['themeOfSubclass'][s]} theme: {join_words(subclass_words[s])}."))
    # Yes/No questions (so that the answer tokens are well trained before the LoRA stage)
    r = random.Random(args.seed + 7)
    all_pollutants = sorted(by_pollutant)
    themes = sorted(set(truth["themeOfSubclass"].values()))
    for t in techniques:
        others = [p for p in all_pollutants if p not in t["pollutants"]]
        for pol in t["pollutants"]:
            qa.append((f"Does technique {t['id']} abate {pol}?", "Yes"))
        for pol in r.sample(others, len(t["pollutants"])):
            qa.append((f"Does technique {t['id']} abate {pol}?", "No"))
    for g in truth["mainGroups"]:
        theme = truth["themeOfSubclass"][g.split(" ")[0]]
        qa.append((f"Is code {g} part of the {theme} theme?", "Yes"))
        qa.append((f"Is code {g} part of the {r.choice([x for x in themes if x != theme])} theme?", "No"))
    return qa


QA = chat_pairs()
CHAT_QUESTION = f"Which pollutants does technique {techniques[2]['id']} abate?"


def chat_text(q, a):
    return render_chat([{"role": "system", "content": CHAT_SYSTEM}, {"role": "user", "content": q}]) + a + "<|im_end|>\n"


def patent_doc(p):
    return f"{p['title']}\n{p.get('abstract', '')}\nCodes: {', '.join(p['codes'])}"


def technique_doc(t):
    return (f"{t['id']}: {t['sectionTitle']}\n{t['description']}\n"
            f"Pollutants: {', '.join(t['pollutants'])}\nCodes: {', '.join(t['anchorGroups'])}")


docs = [patent_doc(p) for p in train_patents] + [technique_doc(t) for t in techniques] * 4 \
    + [chat_text(q, a) for q, a in QA] * 3

# ============================ 2. tokenizer ============================
bpe_texts = [d for d in docs] + [yesno_prompt(t, p) for t in techniques for p in train_patents[:5]] \
    + ["Yes", "No", YESNO_SYSTEM, YESNO_USER]
bpe_texts = [text.replace("<|im_start|>", "\n").replace("<|im_end|>", "\n").replace("<|endoftext|>", "\n")
             for text in bpe_texts]    # special tokens are added to the vocabulary, not learned
vocab, merges = bpe_lib.train(bpe_texts, vocab_size=1024, specials=SPECIALS, required=["Yes", "No", " Yes", " No"])
tok = bpe_lib.BPE(vocab, merges, SPECIALS)
V = len(vocab)
YES, NO = tok.tok2id["Yes"], tok.tok2id["No"]
EOT, IM_START, IM_END = (tok.tok2id[s] for s in SPECIALS)
assert tok.encode("assistant\nYes") [-1] == YES and tok.encode("assistant\nNo")[-1] == NO
log(f"BPE vocabulary {V} ({len(merges)} merges); Yes={YES} No={NO}")

# ============================ 3. model ============================
CFG = dict(vocab_size=V, hidden_size=128, intermediate_size=352, num_hidden_layers=4,
           num_attention_heads=4, num_key_value_heads=2, head_dim=32, rms_norm_eps=1e-6,
           rope_theta=10000.0, max_position_embeddings=512)


class RMSNorm(nn.Module):
    def __init__(s, hidden, eps):
        super().__init__()
        s.weight = nn.Parameter(torch.ones(hidden))
        s.eps = eps

    def forward(s, x):
        return s.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + s.eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


class Block(nn.Module):
    def __init__(s, c):
        super().__init__()
        H = c["hidden_size"]
        s.nh, s.kvh, s.hd = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        s.q = nn.Linear(H, s.nh * s.hd, bias=False)
        s.k = nn.Linear(H, s.kvh * s.hd, bias=False)
        s.v = nn.Linear(H, s.kvh * s.hd, bias=False)
        s.o = nn.Linear(s.nh * s.hd, H, bias=False)
        s.gate = nn.Linear(H, c["intermediate_size"], bias=False)
        s.up = nn.Linear(H, c["intermediate_size"], bias=False)
        s.down = nn.Linear(c["intermediate_size"], H, bias=False)
        s.n1, s.n2 = RMSNorm(H, c["rms_norm_eps"]), RMSNorm(H, c["rms_norm_eps"])

    def forward(s, x, cos, sin, mask_bias, pk, pv):
        B, T, _ = x.shape
        h = s.n1(x)
        q = s.q(h).view(B, T, s.nh, s.hd).transpose(1, 2)
        k = s.k(h).view(B, T, s.kvh, s.hd).transpose(1, 2)
        v = s.v(h).view(B, T, s.kvh, s.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if pk is not None:
            k, v = torch.cat([pk, k], 2), torch.cat([pv, v], 2)
        present = (k, v)
        S, rep = k.shape[2], s.nh // s.kvh
        kk = k[:, :, None].expand(B, s.kvh, rep, S, s.hd).reshape(B, s.nh, S, s.hd)
        vv = v[:, :, None].expand(B, s.kvh, rep, S, s.hd).reshape(B, s.nh, S, s.hd)
        att = (q @ kk.transpose(-1, -2)) / math.sqrt(s.hd) + mask_bias
        y = (att.softmax(-1) @ vv).transpose(1, 2).reshape(B, T, s.nh * s.hd)
        x = x + s.o(y)
        h2 = s.n2(x)
        return x + s.down(F.silu(s.gate(h2)) * s.up(h2)), present


class Llama(nn.Module):
    """forward(input_ids, attention_mask, position_ids, *past) -> logits, present.{i}.key, present.{i}.value, ...
    (the transformers.js decoder layout; attention_mask covers past + new tokens)."""

    def __init__(s, c):
        super().__init__()
        s.c = c
        s.emb = nn.Embedding(c["vocab_size"], c["hidden_size"])
        s.blocks = nn.ModuleList(Block(c) for _ in range(c["num_hidden_layers"]))
        s.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, c["head_dim"], 2).float() / c["head_dim"]))
        s.register_buffer("inv_freq", inv, persistent=False)
        s.lm_weight = None      # set only to emulate a separately quantised lm_head
        with torch.no_grad():
            for p in s.parameters():
                if p.dim() == 2:
                    p.normal_(0.0, 0.02)

    def hidden(s, input_ids, attention_mask, position_ids, past=None):
        B, T = input_ids.shape
        x = s.emb(input_ids)
        fr = position_ids[..., None].float() * s.inv_freq
        e = torch.cat([fr, fr], -1)[:, None]
        cos, sin = e.cos(), e.sin()
        S = attention_mask.shape[1]
        q_pos = torch.arange(T)[:, None] + (S - T)
        causal = torch.arange(S)[None, :] <= q_pos
        allowed = causal[None, None] & (attention_mask[:, None, None, :] > 0)
        mask_bias = (~allowed).float() * -1e9
        presents = []
        for i, b in enumerate(s.blocks):
            pk, pv = (past[2 * i], past[2 * i + 1]) if past else (None, None)
            x, pr = b(x, cos, sin, mask_bias, pk, pv)
            presents += list(pr)
        return s.norm(x), presents

    def project(s, h):
        return h @ (s.emb.weight if s.lm_weight is None else s.lm_weight).t()   # tied lm_head

    def forward(s, input_ids, attention_mask, position_ids, *past):
        h, presents = s.hidden(input_ids, attention_mask, position_ids, list(past) if past else None)
        return (s.project(h), *presents)


class LoRA(nn.Module):
    def __init__(s, base, r, alpha):
        super().__init__()
        s.base, s.scale = base, alpha / r
        s.A = nn.Parameter(torch.randn(r, base.in_features) / math.sqrt(base.in_features))
        s.B = nn.Parameter(torch.zeros(base.out_features, r))

    def forward(s, x):
        return s.base(x) + s.scale * ((x @ s.A.t()) @ s.B.t())

    def merged(s):
        with torch.no_grad():
            s.base.weight += s.scale * (s.B @ s.A)
        return s.base


LINEARS = ["q", "k", "v", "o", "gate", "up", "down"]
LORA_R, LORA_ALPHA = 8, 16

model = Llama(CFG)
n_params = sum(p.numel() for p in model.parameters())
log(f"model: {n_params} parameters, config {CFG}")


def full_logits(m, ids):
    """No-cache recompute of one sequence: logits [T, V]."""
    t = torch.tensor([ids])
    return m(t, torch.ones_like(t), torch.arange(len(ids))[None])[0][0]


# ============================ 4. stage 1: next-token training ============================
BLOCK = 320
stream = []
for d in docs:
    stream += tok.encode(d) + [EOT]
log(f"stage 1 corpus: {len(docs)} documents, {len(stream)} tokens")


def lr_at(step, total, peak, warm=30):
    if step < warm:
        return peak * (step + 1) / warm
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * (step - warm) / max(1, total - warm))))


def stage1(steps, budget_s, batch=16):
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.98), weight_decay=0.01)
    data = torch.tensor(stream)
    g = torch.Generator().manual_seed(args.seed + 1)
    t0, losses, done = time.time(), [], 0
    for step in range(steps):
        if time.time() - t0 > budget_s:
            break
        starts = torch.randint(0, len(stream) - BLOCK - 1, (batch,), generator=g)
        x = torch.stack([data[s:s + BLOCK + 1] for s in starts])
        ids, lab = x[:, :-1], x[:, 1:]
        am = torch.ones_like(ids)
        pos = torch.arange(BLOCK)[None].expand(batch, BLOCK)
        h, _ = model.hidden(ids, am, pos)
        loss = F.cross_entropy(model.project(h).reshape(-1, V), lab.reshape(-1))
        for group in opt.param_groups:
            group["lr"] = lr_at(step, steps, 3e-3)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        losses.append(loss.item())
        done = step + 1
        if step % 50 == 0 or step == steps - 1:
            log(f"stage 1 step {step}: loss {loss.item():.4f} ({(time.time() - t0) / done:.2f} s/step)")
    return {"steps": done, "batch": [batch, BLOCK], "final_loss": float(np.mean(losses[-20:])),
            "seconds": round(time.time() - t0, 1)}


# ============================ 5. stage 2: LoRA on Yes/No ============================
prefix_ids = {t["id"]: tok.encode(yesno_prefix(t)) for t in techniques}


def suffix_ids(t, p):
    return tok.encode(yesno_prompt(t, p)[len(yesno_prefix(t)):])


# Splitting at "Patent:" never changes the tokens (pre-tokens never cross the newline before it).
for t in techniques[:3]:
    for p in patents[:5]:
        assert prefix_ids[t["id"]] + suffix_ids(t, p) == tok.encode(yesno_prompt(t, p))
patent_suffix_cache = {}


def suffix_cached(t, p):
    key = p["id"]
    if key not in patent_suffix_cache:
        patent_suffix_cache[key] = suffix_ids(t, p)       # the suffix does not depend on the technique
    return patent_suffix_cache[key]


def pairs_batch(m, groups, with_answer):
    """groups: [(technique, [(patent, label)...])]. One prefix pass per technique (left-padded), its KV
    cache repeated for that technique's patents, then one pass over the patent suffixes (right-padded).
    Returns (hidden at the last prompt token [N, H], hidden after the answer [N, H] or None, labels)."""
    pre = [prefix_ids[t["id"]] for t, _ in groups]
    Lp = max(len(x) for x in pre)
    pid = torch.full((len(pre), Lp), EOT)
    pam = torch.zeros(len(pre), Lp, dtype=torch.long)
    for i, x in enumerate(pre):
        pid[i, Lp - len(x):] = torch.tensor(x)
        pam[i, Lp - len(x):] = 1
    ppos = (pam.cumsum(1) - 1).clamp(min=0)
    _, past = m.hidden(pid, pam, ppos)
    counts = torch.tensor([len(items) for _, items in groups])
    past = [kv.repeat_interleave(counts, 0) for kv in past]
    rows, labels, plen = [], [], []
    for gi, (t, items) in enumerate(groups):
        for p, label in items:
            s = suffix_cached(t, p)
            rows.append(s + ([YES if label else NO] if with_answer else []))
            labels.append(label)
            plen.append(len(pre[gi]))
    Ls = max(len(r) for r in rows)
    sid = torch.full((len(rows), Ls), EOT)
    for i, r in enumerate(rows):
        sid[i, :len(r)] = torch.tensor(r)
    am = torch.cat([pam.repeat_interleave(counts, 0), torch.ones(len(rows), Ls, dtype=torch.long)], 1)
    pos = torch.tensor(plen)[:, None] + torch.arange(Ls)[None]
    h, _ = m.hidden(sid, am, pos, past)
    last = torch.tensor([len(r) - (2 if with_answer else 1) for r in rows])
    ar = torch.arange(len(rows))
    return h[ar, last], (h[ar, last + 1] if with_answer else None), torch.tensor(labels)


# self-check: the prefix/suffix path equals a plain forward pass
with torch.no_grad():
    model.eval()
    t0_, p0_ = techniques[0], patents[0]
    h_last, _, _ = pairs_batch(model, [(t0_, [(p0_, 1), (patents[1], 0)])], with_answer=False)
    ref_logits = full_logits(model, prefix_ids[t0_["id"]] + suffix_cached(t0_, p0_))[-1]
    assert torch.allclose(model.project(h_last[0]), ref_logits, atol=1e-4), "prefix-cache path differs"

train_pos = {t["id"]: [p for p in train_patents if p["id"] in relevant[t["id"]]] for t in techniques}
train_neg = {t["id"]: [p for p in train_patents if p["id"] not in relevant[t["id"]]] for t in techniques}
chat_examples = []
for q, a in QA:
    prompt = tok.encode(render_chat([{"role": "system", "content": CHAT_SYSTEM}, {"role": "user", "content": q}]))
    chat_examples.append((prompt, tok.encode(a) + [IM_END]))


def chat_loss(m, batch):
    rows = [p + a for p, a in batch]
    T = max(len(r) for r in rows)
    ids = torch.full((len(rows), T), EOT)
    lab = torch.full((len(rows), T), -100)
    for i, (p, a) in enumerate(batch):
        ids[i, :len(p) + len(a)] = torch.tensor(p + a)
        lab[i, len(p) - 1:len(p) + len(a) - 1] = torch.tensor(a)
    h, _ = m.hidden(ids, torch.ones_like(ids), torch.arange(T)[None].expand(len(rows), T))
    return F.cross_entropy(m.project(h).reshape(-1, V), lab.reshape(-1), ignore_index=-100)


def stage2(steps, budget_s, techs_per_batch=4, per_tech=8, lr=4e-3):
    for p in model.parameters():
        p.requires_grad_(False)
    for b in model.blocks:
        for n in LINEARS:
            setattr(b, n, LoRA(getattr(b, n), LORA_R, LORA_ALPHA))
    params = [p for b in model.blocks for n in LINEARS for p in (getattr(b, n).A, getattr(b, n).B)]
    n_lora = sum(p.numel() for p in params)
    log(f"stage 2: LoRA r={LORA_R} alpha={LORA_ALPHA} on {LINEARS}: {n_lora} trainable parameters")
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    model.train()
    r = random.Random(args.seed + 2)
    t0, losses, closses, done = time.time(), [], [], 0
    for step in range(steps):
        if time.time() - t0 > budget_s:
            break
        groups = []
        for t in r.sample(techniques, techs_per_batch):
            items = [(p, 1) for p in r.sample(train_pos[t["id"]], per_tech // 2)] \
                + [(p, 0) for p in r.sample(train_neg[t["id"]], per_tech // 2)]
            groups.append((t, items))
        h_last, h_ans, labels = pairs_batch(model, groups, with_answer=True)
        target = torch.where(labels > 0, torch.tensor(YES), torch.tensor(NO))
        loss = F.cross_entropy(model.project(h_last), target) \
            + 0.2 * F.cross_entropy(model.project(h_ans), torch.full_like(target, IM_END))
        if step % 2 == 0:
            cl = chat_loss(model, r.sample(chat_examples, 8))
            loss = loss + 0.5 * cl
            closses.append(cl.item())
        for group in opt.param_groups:
            group["lr"] = lr_at(step, steps, lr, warm=20)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        with torch.no_grad():
            yn = F.cross_entropy(model.project(h_last), target).item()
        losses.append(yn)
        done = step + 1
        if step % 25 == 0 or step == steps - 1:
            log(f"stage 2 step {step}: yes/no loss {np.mean(losses[-25:]):.4f} chat loss "
                f"{np.mean(closses[-13:]) if closses else float('nan'):.4f} ({(time.time() - t0) / done:.2f} s/step)")
    return {"steps": done, "batch": f"{techs_per_batch} techniques x {per_tech} patents (balanced), "
                                      f"+ 8 chat examples every 2nd step",
            "final_yesno_loss": float(np.mean(losses[-25:])),
            "final_chat_loss": float(np.mean(closses[-13:])) if closses else None,
            "lr": lr, "trainable_parameters": n_lora, "seconds": round(time.time() - t0, 1)}


# ============================ 6. evaluation ============================
def p_yes_all(m, patent_list, chunk=100):
    """P(Yes) = softmax over {Yes, No} at the last prompt position, for every technique x patent."""
    m.eval()
    out = {}
    with torch.no_grad():
        for t in techniques:
            for i in range(0, len(patent_list), chunk):
                part = patent_list[i:i + chunk]
                h, _, _ = pairs_batch(m, [(t, [(p, 0) for p in part])], with_answer=False)
                lg = m.project(h)
                py = torch.sigmoid(lg[:, YES] - lg[:, NO])
                for p, v in zip(part, py.tolist()):
                    out[(t["id"], p["id"])] = v
    return out


def roc_auc(scores, labels):
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(labels)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s))
    ss = s[order]
    i = 0
    while i < len(s):                  # average ranks over ties
        j = i
        while j + 1 < len(s) and ss[j + 1] == ss[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    npos, nneg = int(y.sum()), int(len(y) - y.sum())
    return float((ranks[y == 1].sum() - npos * (npos + 1) / 2) / (npos * nneg))


CHAT_KINDS = {"Which pollutants does": "pollutants of a technique", "What pollutants does": "pollutants of a technique",
              "What is technique": "what a technique is", "Which technology codes": "codes of a technique",
              "Which techniques abate": "techniques for a pollutant", "What is code": "what a main group is about",
              "What is subclass": "what a subclass is about", "Does technique": "yes/no: technique abates pollutant",
              "Is code": "yes/no: code in theme"}


def chat_kind(question):
    for k, v in CHAT_KINDS.items():
        if question.startswith(k):
            return v
    return "other"


def chat_accuracy(m, max_new=40):
    """Share of the training Q&A chats whose greedy answer equals the catalogue's answer exactly, per kind."""
    m.eval()
    hits, per = 0, {}
    with torch.no_grad():
        for (q, _), (prompt, answer) in zip(QA, chat_examples):
            seq = list(prompt)
            for _ in range(min(max_new, len(answer) + 2)):
                nxt = int(full_logits(m, seq)[-1].argmax())
                seq.append(nxt)
                if nxt == IM_END:
                    break
            ok = seq[len(prompt):] == answer
            hits += ok
            k = per.setdefault(chat_kind(q), [0, 0])
            k[0] += ok
            k[1] += 1
    return {"all": round(hits / len(chat_examples), 4), "by_kind": {k: f"{a}/{b}" for k, (a, b) in sorted(per.items())}}


def evaluate(m, tag):
    t0 = time.time()
    scores = p_yes_all(m, test_patents)
    keys = sorted(scores)
    s = [scores[k] for k in keys]
    y = [1 if k[1] in relevant[k[0]] else 0 for k in keys]
    auc = roc_auc(s, y)
    pred = np.asarray(s) >= 0.5
    yy = np.asarray(y) == 1
    tp, fp, fn = int((pred & yy).sum()), int((pred & ~yy).sum()), int((~pred & yy).sum())
    res = {"pairs": len(keys), "positives": int(sum(y)), "auc": round(auc, 4),
           "accuracy_at_0.5": round(float((pred == yy).mean()), 4),
           "precision_at_0.5": round(tp / max(1, tp + fp), 4), "recall_at_0.5": round(tp / max(1, tp + fn), 4),
           "per_technique_auc": {t["id"]: round(roc_auc([scores[(t["id"], p["id"])] for p in test_patents],
                                                        [1 if p["id"] in relevant[t["id"]] else 0 for p in test_patents]), 4)
                                 for t in techniques
                                 if 0 < sum(p["id"] in relevant[t["id"]] for p in test_patents) < len(test_patents)}}
    log(f"evaluation {tag}: AUC {auc:.4f} on {len(keys)} held-out pairs ({sum(y)} positive), "
        f"acc {res['accuracy_at_0.5']}, {time.time() - t0:.0f}s")
    return res, scores


# ---- q4 emulation: the rounding quantize.py applies (MatMulNBits block 32 symmetric; 8-bit embeddings)
def q4_round(w_out_in):
    """w as stored by torch ([out, in]); ONNX MatMul B is w.T [K=in, N=out]; blocks of 32 along K."""
    N, K = w_out_in.shape
    wt = w_out_in.reshape(N, K // 32, 32)
    sc = wt.abs().amax(-1, keepdim=True) / 7.0
    sc[sc == 0] = 1.0
    q = torch.clamp(torch.round(wt / sc), -8, 7)
    return (q * sc).reshape(N, K)


def q8_rows(w):
    s = w.abs().amax(1, keepdim=True) / 127.0
    s[s == 0] = 1.0
    return torch.clamp(torch.round(w / s), -127, 127) * s


def q4_emulated(m):
    import copy
    e = copy.deepcopy(m)
    with torch.no_grad():
        e.lm_weight = q4_round(m.emb.weight.detach().clone())
        e.emb.weight.copy_(q8_rows(m.emb.weight))
        for b in e.blocks:
            for n in LINEARS:
                lin = getattr(b, n)
                lin.weight.copy_(q4_round(lin.weight))
    return e


# ============================ 7. export ============================
def export_onnx(m, d):
    L, kvh, hd = CFG["num_hidden_layers"], CFG["num_key_value_heads"], CFG["head_dim"]
    os.makedirs(os.path.join(d, "onnx"), exist_ok=True)
    m.eval()
    ids = torch.tensor([[YES, NO, IM_END]])
    past_len = 2
    am = torch.ones(1, past_len + ids.shape[1], dtype=torch.long)
    pos = torch.arange(past_len, past_len + ids.shape[1])[None]
    inames, onames = ["input_ids", "attention_mask", "position_ids"], ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    past = tuple(torch.randn(1, kvh, past_len, hd) for _ in range(2 * L))
    for i in range(L):
        for kv in ("key", "value"):
            inames.append(f"past_key_values.{i}.{kv}")
            onames.append(f"present.{i}.{kv}")
            dyn[f"past_key_values.{i}.{kv}"] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[f"present.{i}.{kv}"] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(m, (ids, am, pos, *past), os.path.join(d, "onnx", "model.onnx"),
                          input_names=inames, output_names=onames, dynamic_axes=dyn,
                          opset_version=14, do_constant_folding=True)


def write_configs(d):
    c = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", **CFG, "hidden_act": "silu",
         "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": True,
         "bos_token_id": IM_START, "eos_token_id": IM_END, "pad_token_id": EOT, "use_cache": True,
         "torch_dtype": "float32", "transformers.js_config": {"dtype": "fp32"}}
    json.dump(c, open(os.path.join(d, "config.json"), "w"), indent=2)
    gc = {"bos_token_id": IM_START, "eos_token_id": IM_END, "pad_token_id": EOT,
          "do_sample": False, "max_new_tokens": 32}
    json.dump(gc, open(os.path.join(d, "generation_config.json"), "w"), indent=2)
    bpe_lib.write_files(d, tok, CHAT_TEMPLATE, bos="<|im_start|>", eos="<|im_end|>", pad="<|endoftext|>",
                        model_max_length=CFG["max_position_embeddings"])


def reference(m, prompts, question):
    refs = []
    with torch.no_grad():
        m.eval()
        for name, t, p, text in prompts:
            ids = tok.encode(text)
            lg = full_logits(m, ids)[-1]
            y, n = lg[YES].item(), lg[NO].item()
            refs.append({"name": name, "technique": t["id"], "patent": p["id"],
                         "label": "Yes" if p["id"] in relevant[t["id"]] else "No",
                         "messages": [{"role": "system", "content": YESNO_SYSTEM},
                                      {"role": "user", "content": yesno_user(t, p)}],
                         "text": text, "input_ids": ids, "yes_logit": y, "no_logit": n,
                         "p_yes": 1 / (1 + math.exp(n - y))})
        messages = [{"role": "system", "content": CHAT_SYSTEM}, {"role": "user", "content": question}]
        text = render_chat(messages)
        seq = tok.encode(text)
        start = len(seq)
        for _ in range(20):
            nxt = int(full_logits(m, seq)[-1].argmax())
            seq.append(nxt)
            if nxt == IM_END:
                break
        gen = {"messages": messages, "text": text, "input_ids": seq[:start], "max_new_tokens": 20,
               "generated_ids": seq[start:], "generated_text": tok.decode(seq[start:])}
    return refs, gen


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# ============================ run ============================
budget = args.minutes * 60
if args.load_stage1:
    model.load_state_dict(torch.load(args.load_stage1))
    s1 = json.load(open(args.load_stage1 + ".json"))
else:
    s1 = stage1(args.stage1_steps, 0.35 * budget)
    if args.save_stage1:
        torch.save(model.state_dict(), args.save_stage1)
        json.dump(s1, open(args.save_stage1 + ".json", "w"))
with torch.no_grad():
    model.eval()
    before = evaluate(model, "after stage 1 (no LoRA)")[0]["auc"] if os.environ.get("EVAL_STAGE1") else None
    chat1 = chat_accuracy(model)
    log(f"chat exact match after stage 1: {chat1}")
s2 = stage2(args.stage2_steps, 0.55 * budget, lr=args.lr2)
model.eval()

# merge LoRA into the weights; check it changes nothing
probe_ids = tok.encode(yesno_prompt(techniques[0], test_patents[0]))
with torch.no_grad():
    lg_lora = full_logits(model, probe_ids)[-1]
for b in model.blocks:
    for n in LINEARS:
        setattr(b, n, getattr(b, n).merged())
with torch.no_grad():
    lg_merged = full_logits(model, probe_ids)[-1]
merge_diff = float((lg_lora - lg_merged).abs().max())
log(f"LoRA merge: max logit difference {merge_diff:.2e}")

chat2 = chat_accuracy(model)
log(f"chat exact match after stage 2 (merged): {chat2}")
ev32, scores32 = evaluate(model, "fp32")
ev4, scores4 = evaluate(q4_emulated(model), "q4 (emulated weight rounding)")

out = args.out
os.makedirs(os.path.join(out, "onnx"), exist_ok=True)
for stale in ("onnx/model_q4.onnx", "onnx/model.onnx"):
    if os.path.exists(os.path.join(out, stale)):
        os.remove(os.path.join(out, stale))
export_onnx(model, out)
write_configs(out)
if not args.no_quantize:
    subprocess.run([sys.executable, os.path.join(HERE, "quantize.py"), out, "--variants", "q4"], check=True)

# reference prompts: fixed held-out pairs (one relevant, one not, one more relevant)
first_pos = next((t, p) for p in test_patents for t in techniques if p["id"] in relevant[t["id"]])
first_neg = next((t, p) for p in test_patents for t in techniques if p["id"] not in relevant[t["id"]])
second_pos = next((t, p) for p in reversed(test_patents) for t in reversed(techniques) if p["id"] in relevant[t["id"]])
prompts = [(n, t, p, yesno_prompt(t, p)) for n, (t, p) in
           (("held-out relevant", first_pos), ("held-out not relevant", first_neg), ("held-out relevant 2", second_pos))]
refs, gen = reference(model, prompts, CHAT_QUESTION)
q4m = q4_emulated(model)
with torch.no_grad():
    for r_ in refs:
        lg = full_logits(q4m, r_["input_ids"])[-1]
        r_["q4_emulated_p_yes"] = 1 / (1 + math.exp(lg[NO].item() - lg[YES].item()))
log("reference:", [(r_["label"], round(r_["p_yes"], 4)) for r_ in refs], "| chat:", repr(gen["generated_text"]))
json.dump({"yes_id": YES, "no_id": NO, "eos_id": IM_END, "prompts": refs, "generation": gen},
          open(os.path.join(out, "reference.json"), "w"), indent=1)

files = {}
for root, _, names in os.walk(out):
    for nm in sorted(names):
        path = os.path.join(root, nm)
        rel = os.path.relpath(path, out)
        if rel != "manifest.json":
            files[rel] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}
            assert files[rel]["bytes"] <= 10 * 1024 * 1024, (rel, files[rel]["bytes"])
n_train_pairs = len(train_patents) * len(techniques)
manifest = {
    "name": os.path.basename(os.path.normpath(out)),
    "kind": "yesno-decoder",
    "architecture": {"type": "llama", **CFG, "parameters": n_params, "tied_lm_head": True,
                     "norm": "RMSNorm", "mlp": "SwiGLU", "position": "RoPE",
                     "attention": f"grouped-query ({CFG['num_attention_heads']} query / {CFG['num_key_value_heads']} kv heads)"},
    "tokenizer": {"type": "byte-level BPE", "vocab": V, "merges": len(merges), "specials": SPECIALS,
                  "chat_template": "ChatML", "yes_id": YES, "no_id": NO, "eos_id": IM_END},
    "prompt": {"system": YESNO_SYSTEM, "user_template": YESNO_USER,
               "placeholders": ["section_title", "technique", "patent_title", "patent_abstract"],
               "answer_tokens": ["Yes", "No"],
               "score": "P(Yes) = softmax over the Yes and No logits at the last prompt position "
                        "(prompt rendered with the chat template and add_generation_prompt)"},
    "chat": {"system": CHAT_SYSTEM, "example_question": CHAT_QUESTION,
             "questions": ["Which pollutants does technique DEMO-BAT-NN abate?", "What is technique DEMO-BAT-NN?",
                           "Which technology codes is DEMO-BAT-NN about?", "Which techniques abate <pollutant>?",
                           "What is code <main group> about?", "What is subclass <subclass> about?",
                           "Does technique DEMO-BAT-NN abate <pollutant>?", "Is code <main group> part of the <theme> theme?"]},
    "training": {
        "status": "trained",
        "seed": args.seed, "threads": args.threads,
        "data": {"patents": os.path.join(args.demo, "patents.jsonl"),
                 "techniques": os.path.join(args.demo, "techniques.json"),
                 "relevance": os.path.join(args.demo, "technique-relevance.json"),
                 "train_patents": len(train_patents), "held_out_patents": len(test_patents),
                 "stage1_documents": len(docs), "stage1_tokens": len(stream), "qa_pairs": len(QA),
                 "train_pairs": n_train_pairs,
                 "train_pairs_positive": sum(len(v) for v in train_pos.values())},
        "stage1": {"objective": "next-token prediction on training patents (title, abstract, codes), "
                                "the technique catalogue and grounded Q&A chats", "optimizer": "AdamW lr 3e-3 cosine",
                   **s1},
        "stage2": {"objective": "LoRA, cross-entropy of the Yes/No answer token (+0.2 x <|im_end|> after it, "
                                "+ 0.5 x chat replay loss every 2nd step)", **s2},
        "lora": {"r": LORA_R, "alpha": LORA_ALPHA, "targets": ["q_proj", "k_proj", "v_proj", "o_proj",
                                                               "gate_proj", "up_proj", "down_proj"],
                 "merged": True, "merge_max_logit_difference": merge_diff},
        **({"stage1_auc_no_lora": before} if before is not None else {}),
        "chat_exact_match": {"questions": len(chat_examples), "after_stage1": chat1, "final": chat2,
                             "note": "greedy answers to the training Q&A (memorised catalogue facts), exact match"},
        "wall_seconds": round(time.time() - T_START, 1),
    },
    "held_out_patent_ids": sorted(held_out),
    "evaluation": {"held_out": "all (technique, patent) pairs of the held-out patents",
                   "class_balance": {"positive": ev32["positives"], "negative": ev32["pairs"] - ev32["positives"],
                                     "positive_share": round(ev32["positives"] / ev32["pairs"], 4)},
                   "fp32": ev32, "q4_emulated": ev4,
                   "q4_note": "q4 AUC computed in torch with the weight rounding of quantize.py emulated "
                              "(4-bit blocks of 32 on every linear and the lm_head, 8-bit embedding rows)"},
    "variants": {"fp32": "onnx/model.onnx"} | ({} if args.no_quantize else {"q4": "onnx/model_q4.onnx"}),
    "files": files,
}
json.dump(manifest, open(os.path.join(out, "manifest.json"), "w"), indent=1)
log(f"done: fp32 AUC {ev32['auc']}, q4-emulated AUC {ev4['auc']}; wrote {out}")
