"""Llama training: stage 1 (next-token prediction on the stage-1 documents, all weights) and stage 2 (LoRA on
Yes/No answers to the seed's prompt over balanced (technique, patent) pairs, plus chat replay). The prompt's
technique part is run once per technique and its KV cache shared by that technique's patents."""
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import common
from llama_data import chat_messages, render_chat, yesno_prefix, yesno_prompt
from llama_model import LINEARS, LORA_ALPHA, LORA_R, add_lora, full_logits

BLOCK = 320


class PromptBatcher:
    """Tokenised Yes/No prompts split at "Patent:": one prefix per technique, one suffix per patent."""

    def __init__(s, k, techniques):
        s.k = k
        s.prefix_ids = {t["id"]: k.tok.encode(yesno_prefix(t)) for t in techniques}
        s.suffix_cache = {}

    def suffix_ids(s, t, p):
        return s.k.tok.encode(yesno_prompt(t, p)[len(yesno_prefix(t)):])

    def suffix_cached(s, t, p):
        key = p["id"]
        if key not in s.suffix_cache:
            s.suffix_cache[key] = s.suffix_ids(t, p)       # the suffix does not depend on the technique
        return s.suffix_cache[key]

    def check_split(s, techniques, patents):
        """Splitting at "Patent:" never changes the tokens (pre-tokens never cross the newline before it)."""
        for t in techniques[:3]:
            for p in patents[:5]:
                assert s.prefix_ids[t["id"]] + s.suffix_ids(t, p) == s.k.tok.encode(yesno_prompt(t, p))

    def pairs_batch(s, m, groups, with_answer):
        """groups: [(technique, [(patent, label)...])]. One prefix pass per technique (left-padded), its KV
        cache repeated for that technique's patents, then one pass over the patent suffixes (right-padded).
        Returns (hidden at the last prompt token [N, H], hidden after the answer [N, H] or None, labels)."""
        EOT, YES, NO = s.k.EOT, s.k.YES, s.k.NO
        pre = [s.prefix_ids[t["id"]] for t, _ in groups]
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
                sfx = s.suffix_cached(t, p)
                rows.append(sfx + ([YES if label else NO] if with_answer else []))
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

    def check_cache(s, model, t, p, p_other):
        """The prefix/suffix path equals a plain forward pass."""
        with torch.no_grad():
            model.eval()
            h_last, _, _ = s.pairs_batch(model, [(t, [(p, 1), (p_other, 0)])], with_answer=False)
            ref_logits = full_logits(model, s.prefix_ids[t["id"]] + s.suffix_cached(t, p))[-1]
            assert torch.allclose(model.project(h_last[0]), ref_logits, atol=1e-4), "prefix-cache path differs"


# ---------------- stage 1 ----------------
def token_stream(k, docs):
    stream = []
    for d in docs:
        stream += k.tok.encode(d) + [k.EOT]
    return stream


def stage1(model, stream, V, steps, budget_s, seed, log, batch=16):
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, betas=(0.9, 0.98), weight_decay=0.01)
    data = torch.tensor(stream)
    g = torch.Generator().manual_seed(seed + 1)
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
            group["lr"] = common.warmup_cosine_lr(step, steps, 3e-3)
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


# ---------------- stage 2 ----------------
def chat_examples(k, qa):
    """(prompt ids, answer ids + <|im_end|>) of every Q&A chat."""
    return [(k.tok.encode(render_chat(chat_messages(q))), k.tok.encode(a) + [k.IM_END]) for q, a in qa]


def chat_loss(m, batch, k):
    rows = [p + a for p, a in batch]
    T = max(len(r) for r in rows)
    ids = torch.full((len(rows), T), k.EOT)
    lab = torch.full((len(rows), T), -100)
    for i, (p, a) in enumerate(batch):
        ids[i, :len(p) + len(a)] = torch.tensor(p + a)
        lab[i, len(p) - 1:len(p) + len(a) - 1] = torch.tensor(a)
    h, _ = m.hidden(ids, torch.ones_like(ids), torch.arange(T)[None].expand(len(rows), T))
    return F.cross_entropy(m.project(h).reshape(-1, k.V), lab.reshape(-1), ignore_index=-100)


def stage2(model, batcher, k, techniques, train_pos, train_neg, examples, steps, budget_s, seed, log,
           techs_per_batch=4, per_tech=8, lr=4e-3, hard_neg=None, decoy_groups=None, decoys_per_batch=2):
    """hard_neg: technique id -> negatives that half of that technique's negatives are drawn from.
    decoy_groups: [(section, patents)] answered No; decoys_per_batch of them join every step (4 patents each)."""
    hard_neg = hard_neg or {}
    decoy_groups = decoy_groups or []
    YES, NO, IM_END = k.YES, k.NO, k.IM_END
    params = add_lora(model)
    n_lora = sum(p.numel() for p in params)
    log(f"stage 2: LoRA r={LORA_R} alpha={LORA_ALPHA} on {LINEARS}: {n_lora} trainable parameters")
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    model.train()
    r = random.Random(seed + 2)
    t0, losses, closses, done = time.time(), [], [], 0
    for step in range(steps):
        if time.time() - t0 > budget_s:
            break
        groups = []
        for t in r.sample(techniques, techs_per_batch):
            hard = hard_neg.get(t["id"], [])
            n_hard = per_tech // 4 if len(hard) >= per_tech // 4 else 0
            pos = train_pos[t["id"]]
            items = [(p, 1) for p in r.sample(pos, min(per_tech // 2, len(pos)))] \
                + [(p, 0) for p in r.sample(hard, n_hard)] \
                + [(p, 0) for p in r.sample(train_neg[t["id"]], per_tech // 2 - n_hard)]
            groups.append((t, items))
        for sec, ps in (r.sample(decoy_groups, min(decoys_per_batch, len(decoy_groups))) if decoy_groups else []):
            groups.append((sec, [(p, 0) for p in r.sample(ps, min(per_tech // 2, len(ps)))]))
        h_last, h_ans, labels = batcher.pairs_batch(model, groups, with_answer=True)
        target = torch.where(labels > 0, torch.tensor(YES), torch.tensor(NO))
        loss = F.cross_entropy(model.project(h_last), target) \
            + 0.2 * F.cross_entropy(model.project(h_ans), torch.full_like(target, IM_END))
        if step % 2 == 0:
            cl = chat_loss(model, r.sample(examples, 8), k)
            loss = loss + 0.5 * cl
            closses.append(cl.item())
        for group in opt.param_groups:
            group["lr"] = common.warmup_cosine_lr(step, steps, lr, warm=20)
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
                                      f"+ 8 chat examples every 2nd step"
                                      + (f"; for the {len(hard_neg)} BREF sections half the negatives are other "
                                         f"sections' patents" if hard_neg else "")
                                      + (f"; + {decoys_per_batch} decoy sections x 4 patents answered No"
                                         if decoy_groups else ""),
            "final_yesno_loss": float(np.mean(losses[-25:])),
            "final_chat_loss": float(np.mean(closses[-13:])) if closses else None,
            "lr": lr, "trainable_parameters": n_lora, "seconds": round(time.time() - t0, 1)}
