"""TechToken training: the masked losses, one training stage on a time budget (with an optional step cap),
and the held-out losses."""
import random
import time

import torch
import torch.nn.functional as F

import common
import wordpiece as wp
from techtoken_data import make_example, pad_batch


def make_optimizer(model, lr, weight_decay):
    """AdamW with weight decay on the matrices only."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW([{"params": decay, "weight_decay": weight_decay},
                              {"params": no_decay, "weight_decay": 0.0}], lr=lr)


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
    """Trains until `seconds` have passed or `max_steps` steps ran (0: no cap). The cosine follows whichever
    of the two is further along, so a run capped by steps with a large time budget is reproducible."""
    model.train()
    t0, step, warmup = time.time(), 0, 100
    recent = {"text": [], "code": []}
    history = []
    while True:
        elapsed = time.time() - t0
        if elapsed >= seconds or (max_steps and step >= max_steps):
            break
        progress = min(1.0, max(elapsed / seconds, step / max_steps if max_steps else 0.0))
        cur = common.progress_cosine_lr(step, progress, lr, warm=warmup)
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
