"""BREF matcher stage 2 and scoring: Yes/No answers to the seed's prompt, fitted to the context as the
engine fits it, over (section, patent) pairs grouped by section. The pairs of one group share their
prompt up to the first token where they differ (the system prompt, the instruction, the section title
and most of its text); that common prefix runs once and its KV cache is repeated for the group's
patents, which is exact under causal attention and cuts the work about in half."""
import random
import time

import numpy as np
import torch
import torch.nn.functional as F

import common
from llama_model import LINEARS, LORA_ALPHA, LORA_R, add_lora, full_logits


def common_prefix(rows):
    n = min(len(r) for r in rows) - 1            # every row keeps at least one token of its own
    first = rows[0]
    i = 0
    while i < n and all(r[i] == first[i] for r in rows):
        i += 1
    return i


def last_hidden(m, groups, eot):
    """groups: [[prompt ids of each pair]] (one section per group). Hidden state at each prompt's last token,
    [N, H] in the groups' order."""
    cut = [common_prefix(g) for g in groups]
    Lp = max(max(cut), 1)
    pid = torch.full((len(groups), Lp), eot)
    pam = torch.zeros(len(groups), Lp, dtype=torch.long)
    for i, (g, c) in enumerate(zip(groups, cut)):
        if c:
            pid[i, Lp - c:] = torch.tensor(g[0][:c])
            pam[i, Lp - c:] = 1
    ppos = (pam.cumsum(1) - 1).clamp(min=0)
    _, past = m.hidden(pid, pam, ppos)
    counts = torch.tensor([len(g) for g in groups])
    past = [kv.repeat_interleave(counts, 0) for kv in past]
    rows = [r[c:] for g, c in zip(groups, cut) for r in g]
    plen = [c for g, c in zip(groups, cut) for _ in g]
    Ls = max(len(r) for r in rows)
    sid = torch.full((len(rows), Ls), eot)
    for i, r in enumerate(rows):
        sid[i, :len(r)] = torch.tensor(r)
    am = torch.cat([pam.repeat_interleave(counts, 0), torch.ones(len(rows), Ls, dtype=torch.long)], 1)
    pos = torch.tensor(plen)[:, None] + torch.arange(Ls)[None]
    h, _ = m.hidden(sid, am, pos, past)
    last = torch.tensor([len(r) - 1 for r in rows])
    return h[torch.arange(len(rows)), last]


def check_prefix_path(m, k, prompts):
    """The shared-prefix path gives the logits of a plain forward pass."""
    with torch.no_grad():
        m.eval()
        h = last_hidden(m, [prompts], k.EOT)
        for i, ids in enumerate(prompts):
            ref = full_logits(m, ids)[-1]
            assert torch.allclose(m.project(h[i]), ref, atol=1e-3), "shared-prefix path differs"


def score_pairs(m, k, prompts_by_section, chunk=24):
    """{section: [(key, ids)]} -> {key: P(Yes)}, P(Yes) = softmax over the Yes and No logits."""
    m.eval()
    out = {}
    with torch.no_grad():
        for items in prompts_by_section.values():
            for i in range(0, len(items), chunk):
                part = items[i:i + chunk]
                if len(part) == 1:
                    lg = full_logits(m, part[0][1])[-1][None]
                else:
                    lg = m.project(last_hidden(m, [[ids for _, ids in part]], k.EOT))
                for (key, _), v in zip(part, torch.sigmoid(lg[:, k.YES] - lg[:, k.NO]).tolist()):
                    out[key] = v
    return out


class PairSampler:
    """Per step: `groups` sections, each with up to `pos` of its training patents (their first reference
    with text) and the rest negatives: patents whose TF-IDF top list holds the section although it is none
    of their references (hard), and one random training patent that does not cite it."""

    def __init__(s, positives, hard, refs, patents, sections, seed, groups=4, per=8, pos=3):
        s.positives, s.hard, s.refs, s.patents = positives, hard, refs, patents
        s.sections = sections
        s.weights = [len(positives.get(x, [])) + 1 for x in sections]
        s.r = random.Random(seed)
        s.groups, s.per, s.pos = groups, per, pos

    def batch(s):
        out = []
        for sec in s.r.choices(s.sections, weights=s.weights, k=s.groups):
            ps = s.positives.get(sec, [])
            items = [(p, 1) for p in s.r.sample(ps, min(s.pos, len(ps)))]
            hs = s.hard.get(sec, [])
            n_hard = s.per - len(items) - 1
            items += [(p, 0) for p in s.r.sample(hs, min(n_hard, len(hs)))]
            while len(items) < s.per:
                p = s.r.choice(s.patents)
                if sec not in s.refs[p]:
                    items.append((p, 0))
            out.append((sec, items))
        return out


def stage2(model, k, sampler, prompt_ids, steps, budget_s, seed, log, mode="full", lr=1e-3):
    """Cross-entropy of the answer token (over the whole vocabulary) at the last prompt position."""
    if mode == "lora":
        params = add_lora(model)
    else:
        params = [p for p in model.parameters()]
    n_train = sum(p.numel() for p in params)
    log(f"stage 2 ({mode}): {n_train} trainable parameters, lr {lr}")
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0 if mode == "lora" else 0.01)
    model.train()
    torch.manual_seed(seed + 3)
    t0, losses, accs, done = time.time(), [], [], 0
    for step in range(steps):
        if time.time() - t0 > budget_s:
            break
        groups = sampler.batch()
        rows = [[prompt_ids(sec, p) for p, _ in items] for sec, items in groups]
        labels = torch.tensor([lab for _, items in groups for _, lab in items])
        h = last_hidden(model, rows, k.EOT)
        lg = model.project(h)
        target = torch.where(labels > 0, torch.tensor(k.YES), torch.tensor(k.NO))
        # positives are 3 in 8: weight them so that both classes count alike
        w = torch.where(labels > 0, 0.5 / labels.float().mean(), 0.5 / (1 - labels.float().mean()))
        loss = (F.cross_entropy(lg, target, reduction="none") * w).mean()
        for group in opt.param_groups:
            group["lr"] = common.warmup_cosine_lr(step, steps, lr, warm=20)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        with torch.no_grad():
            d = lg[:, k.YES] - lg[:, k.NO]
            accs.append(float(((d > 0).long() == labels).float().mean()))
        losses.append(loss.item())
        done = step + 1
        if step % 25 == 0 or step == steps - 1:
            log(f"stage 2 step {step}: loss {np.mean(losses[-25:]):.4f} acc {np.mean(accs[-25:]):.3f} "
                f"({(time.time() - t0) / done:.2f} s/step)")
    return {"mode": mode, "steps": done, "planned_steps": steps,
            "batch": f"{sampler.groups} sections x {sampler.per} patents (up to {sampler.pos} positive, "
                     f"TF-IDF hard negatives, 1 random negative)",
            "final_loss": float(np.mean(losses[-25:])), "final_train_accuracy": float(np.mean(accs[-25:])),
            "lr": lr, "trainable_parameters": n_train, "seconds": round(time.time() - t0, 1),
            **({"lora": {"r": LORA_R, "alpha": LORA_ALPHA, "targets": LINEARS}} if mode == "lora" else {})}
