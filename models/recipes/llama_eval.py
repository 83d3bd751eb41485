"""Llama evaluation: P(Yes) on every held-out (technique, patent) pair and its ROC AUC, chat exact match
on the training Q&A, and the torch emulation of the q4 model's weight rounding."""
import copy
import time

import numpy as np
import torch

import common
import quantize
from llama_data import chat_kind
from llama_model import LINEARS, full_logits


def p_yes_all(m, batcher, techniques, patent_list, chunk=100):
    """P(Yes) = softmax over {Yes, No} at the last prompt position, for every technique x patent."""
    YES, NO = batcher.k.YES, batcher.k.NO
    m.eval()
    out = {}
    with torch.no_grad():
        for t in techniques:
            for i in range(0, len(patent_list), chunk):
                part = patent_list[i:i + chunk]
                h, _, _ = batcher.pairs_batch(m, [(t, [(p, 0) for p in part])], with_answer=False)
                lg = m.project(h)
                py = torch.sigmoid(lg[:, YES] - lg[:, NO])
                for p, v in zip(part, py.tolist()):
                    out[(t["id"], p["id"])] = v
    return out


def chat_accuracy(m, qa, examples, im_end, max_new=40):
    """Share of the training Q&A chats whose greedy answer equals the catalogue's answer exactly, per kind."""
    m.eval()
    hits, per = 0, {}
    with torch.no_grad():
        for (q, _), (prompt, answer) in zip(qa, examples):
            seq = list(prompt)
            for _ in range(min(max_new, len(answer) + 2)):
                nxt = int(full_logits(m, seq)[-1].argmax())
                seq.append(nxt)
                if nxt == im_end:
                    break
            ok = seq[len(prompt):] == answer
            hits += ok
            k = per.setdefault(chat_kind(q), [0, 0])
            k[0] += ok
            k[1] += 1
    return {"all": round(hits / len(examples), 4), "by_kind": {k: f"{a}/{b}" for k, (a, b) in sorted(per.items())}}


def evaluate(m, batcher, d, tag, log):
    """AUC, accuracy, precision and recall at 0.5, and per-technique AUC on all held-out pairs."""
    techniques, test_patents, relevant = d.techniques, d.test_patents, d.relevant
    t0 = time.time()
    scores = p_yes_all(m, batcher, techniques, test_patents)
    keys = sorted(scores)
    s = [scores[k] for k in keys]
    y = [1 if k[1] in relevant[k[0]] else 0 for k in keys]
    auc = common.roc_auc(s, y)
    pred = np.asarray(s) >= 0.5
    yy = np.asarray(y) == 1
    tp, fp, fn = int((pred & yy).sum()), int((pred & ~yy).sum()), int((~pred & yy).sum())
    res = {"pairs": len(keys), "positives": int(sum(y)), "auc": round(auc, 4),
           "accuracy_at_0.5": round(float((pred == yy).mean()), 4),
           "precision_at_0.5": round(tp / max(1, tp + fp), 4), "recall_at_0.5": round(tp / max(1, tp + fn), 4),
           "per_technique_auc": {t["id"]: round(common.roc_auc([scores[(t["id"], p["id"])] for p in test_patents],
                                                               [1 if p["id"] in relevant[t["id"]] else 0
                                                                for p in test_patents]), 4)
                                 for t in techniques
                                 if 0 < sum(p["id"] in relevant[t["id"]] for p in test_patents) < len(test_patents)}}
    log(f"evaluation {tag}: AUC {auc:.4f} on {len(keys)} held-out pairs ({sum(y)} positive), "
        f"acc {res['accuracy_at_0.5']}, {time.time() - t0:.0f}s")
    return res, scores


def tied_evaluation(m, batcher, scores, d, tied, tied_patents, decoy_by_id, log):
    """AUC on the demo's BREF sections x the held-out pollution patents only: every candidate shares the
    sections' style, so this is the hard part of what a job of the demo against the catalogue asks; and on
    each held-out pollution patent's shortlist as a demo job builds it (its own section + its decoys)."""
    if not tied:
        return None
    tests = [p for p in d.test_patents if p["id"] in tied_patents]
    short_s, short_y = [], []
    for p in tests:
        own = next(t for t in tied if p["id"] in d.relevant[t["id"]])
        short_s.append(scores[(own["id"], p["id"])])
        short_y.append(1)
        for sid in d.decoys_of.get(p["id"], []):
            short_s.append(p_yes_all(m, batcher, [decoy_by_id[sid]], [p])[(sid, p["id"])])
            short_y.append(0)
    shortlist_auc = common.roc_auc(short_s, short_y) if 0 < sum(short_y) < len(short_y) else None
    keys = [(t["id"], p["id"]) for t in tied for p in tests]
    s = [scores[k] for k in keys]
    y = [1 if k[1] in d.relevant[k[0]] else 0 for k in keys]
    auc = common.roc_auc(s, y)
    top1 = sum(1 for p in tests if max(tied, key=lambda t: scores[(t["id"], p["id"])])["id"]
               in [t["id"] for t in tied if p["id"] in d.relevant[t["id"]]]) / max(1, len(tests))
    log(f"evaluation BREF sections: AUC {auc:.4f} on {len(keys)} pairs ({sum(y)} positive), top-1 {top1:.3f}; "
        f"own section vs decoys AUC {shortlist_auc}")
    return {"sections": len(tied), "held_out_patents": len(tests), "pairs": len(keys), "positives": int(sum(y)),
            "auc": round(auc, 4), "top1_section_accuracy": round(top1, 4),
            "own_vs_decoys_auc": None if shortlist_auc is None else round(shortlist_auc, 4),
            "own_vs_decoys_pairs": len(short_s)}


def q4_emulated(m):
    """A copy of m with quantize.py's q4 rounding applied: MatMulNBits blocks of 32 on every linear and on the
    (separately quantised) lm_head, 8-bit rows for the embedding."""
    rounded = lambda fn, w: torch.from_numpy(fn(w.detach().numpy()))
    e = copy.deepcopy(m)
    with torch.no_grad():
        e.lm_weight = rounded(quantize.dequantized_q4, m.emb.weight)
        e.emb.weight.copy_(rounded(quantize.dequantized_q8_rows, m.emb.weight))
        for b in e.blocks:
            for n in LINEARS:
                lin = getattr(b, n)
                lin.weight.copy_(rounded(quantize.dequantized_q4, lin.weight))
    return e
