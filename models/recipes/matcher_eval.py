"""BREF matcher evaluation on the held-out patents, among the sections with text: recall@1/@10/@50 and MRR
of each patent's first reference section for TF-IDF alone, the TF-IDF top-K re-ranked by P(Yes), and
reciprocal rank fusion of the TF-IDF and P(Yes) ranks; ROC AUC of P(Yes) on the held-out pairs."""
import time

import common
import matcher_data as md
import matcher_train

RRF_C = 60      # src/core/prefilter/fusion.ts DEFAULT_RRF_C


def quality(ranks, ks=(1, 10, 50)):
    """ranks: 1-based rank of the reference per patent (None when not ranked)."""
    n = len(ranks)
    out = {f"recall@{k}": round(sum(1 for r in ranks if r and r <= k) / n, 4) for k in ks}
    out["mrr"] = round(sum(1 / r for r in ranks if r) / n, 4)
    out["patents"] = n
    return out


def rank_of(order, ref):
    return order.index(ref) + 1 if ref in order else None


def reranked(order, K, score):
    """The top K by score (ties to the better TF-IDF rank), then the rest in TF-IDF order."""
    top = sorted(order[:K], key=lambda s: (-score[s], order.index(s)))
    return top + order[K:]


def fused(order, K, score, c=RRF_C):
    """RRF of the TF-IDF rank and the P(Yes) rank within the top K, then the rest in TF-IDF order."""
    top = order[:K]
    by_p = sorted(top, key=lambda s: (-score[s], top.index(s)))
    rrf = {s: 1 / (c + top.index(s) + 1) + 1 / (c + by_p.index(s) + 1) for s in top}
    return sorted(top, key=lambda s: (-rrf[s], top.index(s))) + order[K:]


def evaluate(m, k, d, tfidf, fitter, K, log, tag="fp32"):
    t0 = time.time()
    orders, refs, by_section = {}, {}, {}
    for p in d.eval_patents:
        order, _ = tfidf.ranking(md.patent_text(p))
        ref = d.sec_index[p["bref_sections"][0]]
        orders[p["id"]], refs[p["id"]] = order, ref
        wanted = list(order[:K]) + ([ref] if ref not in order[:K] else [])
        for si in wanted:
            ids = fitter.fit(md.pair_of(d.sections[si], p))
            by_section.setdefault(si, []).append(((p["id"], si), ids))
    n_pairs = sum(len(v) for v in by_section.values())
    log(f"evaluation {tag}: {n_pairs} prompts fitted ({time.time() - t0:.0f}s), scoring")
    score = matcher_train.score_pairs(m, k, by_section)
    per = {pid: {} for pid in orders}
    for (pid, si), v in score.items():
        per[pid][si] = v
    res = {"K": K, "patents": len(orders), "sections": len(d.sections)}
    res["tfidf"] = quality([rank_of(orders[p], refs[p]) for p in orders])
    res["rerank_top_k_by_p_yes"] = quality([rank_of(reranked(orders[p], K, per[p]), refs[p]) for p in orders])
    res["rrf_tfidf_p_yes"] = quality([rank_of(fused(orders[p], K, per[p]), refs[p]) for p in orders])
    listed = {p["id"]: set(p.get("bref_sections") or []) for p in d.eval_patents}
    s, y = [], []
    for (pid, si), v in score.items():
        if si != refs[pid] and d.sections[si]["id"] in listed[pid]:
            continue                      # another listed reference: neither positive nor negative
        s.append(v)
        y.append(1 if si == refs[pid] else 0)
    res["auc"] = {"pairs": len(s), "positives": sum(y), "auc": round(common.roc_auc(s, y), 4),
                  "pairs_are": f"each held-out patent with its TF-IDF top {K} sections and its reference section"}
    res["seconds"] = round(time.time() - t0, 1)
    log(f"evaluation {tag}: tfidf {res['tfidf']} | rerank {res['rerank_top_k_by_p_yes']} | "
        f"rrf {res['rrf_tfidf_p_yes']} | AUC {res['auc']['auc']} ({res['seconds']}s)")
    return res, per
