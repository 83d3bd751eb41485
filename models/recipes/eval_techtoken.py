#!/usr/bin/python3
"""Masked-code prediction for a TechToken encoder, against two baselines.

usage:
  /usr/bin/python3 models/recipes/eval_techtoken.py --model models/ps-techtoken-tiny            # held-out patents
  /usr/bin/python3 models/recipes/eval_techtoken.py --model /tmp/tt-real --years 2006-2012 [--write-manifest]

A model with code tokens at several levels (manifest `code_levels`, e.g. subclass and main group) is
evaluated per level: the gold codes, the code tokens scored and the baselines are that level's.

The model is rebuilt from MODEL/onnx/model.onnx (fp32) + config.json + tokenizer.json; the training
patents (for the baselines) are recomputed from the manifest: corpus, until_year, seed, held-out ids.

Task (described for subclasses; main groups alike). For each evaluated patent with gold subclasses G
(n = |G|, all of the patent's valid subclasses, including ones that have no token because they never occur
in the training pool: those count as misses for every method), the model sees

    [CLS] title [SEP] abstract [SEP] [MASK] x n [SEP]        (no abstract: [CLS] title [SEP] [MASK] x n [SEP])

i.e. ALL its code tokens masked. Score of code c = mean over the n masked positions of softmax(logits
restricted to the code tokens)[c]. (The number of masks tells the model n; the metrics below do not
depend on n except through G.)

Metrics (averaged over patents):
  top-1          1 if the highest-scoring code is in G, else 0
  top-10 recall  |top-10 codes ∩ G| / |G|

Baselines (training patents only, i.e. the pool minus the held-out patents):
  frequency      codes ranked by the number of training patents carrying them; the same list for every patent.
  cooccurrence   word-code co-occurrence: score(c) = sum over the distinct words w of the patent's title and
                 abstract (BERT-normalised words, punctuation dropped, words unseen in training skipped) of
                 P(c | w) = (#training patents containing w and carrying c) / (#training patents containing w);
                 ties (e.g. a patent with no known word) broken by frequency. It sees the same input as the
                 model (the text, no codes) and uses only training co-occurrence counts.
"""
import argparse
import json
import os
import sys
from collections import Counter, defaultdict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wordpiece as wp  # noqa: E402
import techtoken_data as td  # noqa: E402
from techtoken_model import load_from_onnx  # noqa: E402

DEFINITIONS = {
    "task": "mask ALL code tokens of the patent ([CLS] title [SEP] abstract [SEP] [MASK]xn [SEP]); score(c) = mean "
            "over the n masked positions of softmax over code-token logits",
    "top1": "share of patents whose highest-scoring code is one of the patent's subclasses",
    "top10_recall": "mean over patents of |top-10 codes ∩ patent's subclasses| / |patent's subclasses|",
    "gold": "all valid subclasses of the patent (^[A-HY]\\d\\d[A-Z]); subclasses without a token (unseen in the "
            "training pool) count as misses for every method",
    "frequency_baseline": "codes ranked by number of training patents carrying them (same list for every patent)",
    "cooccurrence_baseline": "word-code co-occurrence: score(c) = sum over the patent's distinct words w of "
                             "#train(w and c) / #train(w); ties broken by frequency",
}


def _words(p):
    return {w for w in wp.words_of(p["title"] + "\n" + p["abstract"]) if not all(wp.is_punctuation(c) for c in w)}


def _metrics(rank_lists, golds):
    top1 = np.mean([1.0 if r[0] in g else 0.0 for r, g in zip(rank_lists, golds)])
    rec10 = np.mean([len(set(r[:10]) & g) / len(g) for r, g in zip(rank_lists, golds)])
    return {"top1": round(float(top1), 4), "top10_recall": round(float(rec10), 4)}


@torch.no_grad()
def evaluate(model, tok, code_tokens, train_patents, eval_patents, max_len, batch_size=128, field="subclasses"):
    """Returns {patents, model: {top1, top10_recall}, frequency: {...}, cooccurrence: {...}, ...}. `code_tokens`
    are the tokens of one level, `field` the patents' codes at that level."""
    model.eval()
    codes = [td.token_code(t) for t in code_tokens]
    index = {c: i for i, c in enumerate(codes)}
    code_ids = torch.tensor([tok.tok2id[t] for t in code_tokens])
    evals = [p for p in eval_patents if p[field] and (p["title"] or p["abstract"])]
    golds = [set(p[field]) for p in evals]

    # frequency baseline
    freq = np.zeros(len(codes))
    for p in train_patents:
        for c in p[field]:
            if c in index:
                freq[index[c]] += 1
    tie = freq / (freq.max() + 1) * 1e-6
    freq_rank = [codes[i] for i in np.argsort(-(freq + tie), kind="stable")]

    # word-code co-occurrence baseline
    doc_w = Counter()
    word_code = defaultdict(lambda: np.zeros(len(codes)))
    for p in train_patents:
        cs = [index[c] for c in p[field] if c in index]
        for w in _words(p):
            doc_w[w] += 1
            for i in cs:
                word_code[w][i] += 1
    cooc_ranks = []
    for p in evals:
        s = tie.copy()
        for w in _words(p):
            if doc_w[w]:
                s += word_code[w] / doc_w[w]
        cooc_ranks.append([codes[i] for i in np.argsort(-s, kind="stable")])

    # model
    model_ranks = []
    order = sorted(range(len(evals)), key=lambda i: len(evals[i]["title"]) + len(evals[i]["abstract"]))
    ranks_by_i = {}
    for start in range(0, len(order), batch_size):
        chunk = order[start:start + batch_size]
        seqs, spans = [], []
        for i in chunk:
            p = evals[i]
            t, a = td.text_tokens(tok, p)
            n = len(golds[i])
            ids, first = td.build_sequence(tok, t, a, [tok.mask_id] * n, max_len)
            seqs.append(ids)
            spans.append((first, n))
        ids, mask = td.pad_batch(seqs, tok.pad_id)
        logits, _ = model(ids, mask, torch.zeros_like(ids))
        for row, i, (first, n) in zip(range(len(chunk)), chunk, spans):
            probs = logits[row, first:first + n][:, code_ids].softmax(-1).mean(0).numpy()
            ranks_by_i[i] = [codes[j] for j in np.argsort(-(probs + tie), kind="stable")]
    model_ranks = [ranks_by_i[i] for i in range(len(evals))]

    unseen = sum(1 for g in golds for c in g if c not in index)
    return {
        "patents": len(evals),
        "gold_codes": sum(len(g) for g in golds),
        "gold_codes_without_token": unseen,
        "mean_codes_per_patent": round(sum(len(g) for g in golds) / max(1, len(golds)), 3),
        "patents_with_abstract": sum(1 for p in evals if p["abstract"]),
        "model": _metrics(model_ranks, golds),
        "frequency": _metrics([freq_rank] * len(evals), golds),
        "cooccurrence": _metrics(cooc_ranks, golds),
        "definitions": DEFINITIONS,
    }


@torch.no_grad()
def code_vectors(model, tok, code_tokens, patents, max_len, batch_size=128):
    """Two vectors per code over `patents`: TechToken (mean hidden state at the code token's position in
    [CLS] title [SEP] abstract [SEP] codes [SEP]) and text-mean (mean of the patents' L2-normalised,
    mean-pooled text embeddings [CLS] title [SEP] abstract [SEP]). Returns (tt [C,H], text [C,H], counts [C])."""
    model.eval()
    index = {t: i for i, t in enumerate(code_tokens)}
    h = model.wte.weight.shape[1]
    tt, tx, n = torch.zeros(len(code_tokens), h), torch.zeros(len(code_tokens), h), torch.zeros(len(code_tokens))
    items = [p for p in patents if any("[" + c + "]" in index for c in p["subclasses"])]
    for start in range(0, len(items), batch_size):
        chunk = items[start:start + batch_size]
        with_codes, text_only, spans = [], [], []
        for p in chunk:
            t, a = td.text_tokens(tok, p)
            cs = [index["[" + c + "]"] for c in p["subclasses"] if "[" + c + "]" in index]
            ids, first = td.build_sequence(tok, t, a, [tok.tok2id[code_tokens[i]] for i in cs], max_len)
            with_codes.append(ids)
            text_only.append(td.build_sequence(tok, t, a, None, max_len)[0])
            spans.append((first, cs))
        ids, mask = td.pad_batch(with_codes, tok.pad_id)
        hidden = model.encode(ids, mask, torch.zeros_like(ids))
        ids2, mask2 = td.pad_batch(text_only, tok.pad_id)
        hidden2 = model.encode(ids2, mask2, torch.zeros_like(ids2))
        pooled = torch.nn.functional.normalize((hidden2 * mask2[..., None]).sum(1) / mask2.sum(1, keepdim=True), dim=-1)
        for r, (first, cs) in enumerate(spans):
            for k, ci in enumerate(cs):
                tt[ci] += hidden[r, first + k]
                tx[ci] += pooled[r]
                n[ci] += 1
    keep = n > 0
    tt[keep] /= n[keep, None]
    tx[keep] /= n[keep, None]
    return tt, tx, n


def _spearman(a, b):
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def code_vector_quality(model, tok, code_tokens, patents, max_len, ground_truth_path):
    """Against the demo corpus's hidden code positions (public/demo/ground-truth.json): Spearman correlation of
    pairwise cosine similarity with minus the latent distance, and the share of codes whose nearest code (by
    cosine) has the same theme. For TechToken vectors and, as a comparison, text-mean vectors."""
    gt = json.load(open(ground_truth_path))
    pos = {c: np.array(p) for c, p in zip(gt["subclasses"], gt["subclassPositions"])}
    theme = gt["themeOfSubclass"]
    tt, tx, n = code_vectors(model, tok, code_tokens, patents, max_len)
    codes = [t[1:-1] for t in code_tokens]
    sel = [i for i, c in enumerate(codes) if c in pos and n[i] > 0]
    out = {"codes": len(sel), "patents": len([p for p in patents if p["subclasses"]])}
    for name, vecs in (("techtoken", tt), ("text_mean", tx)):
        v = torch.nn.functional.normalize(vecs[sel], dim=-1).numpy()
        sim = v @ v.T
        iu = np.triu_indices(len(sel), 1)
        dist = np.array([[np.linalg.norm(pos[codes[i]] - pos[codes[j]]) for j in sel] for i in sel])
        np.fill_diagonal(sim, -np.inf)
        nn_theme = np.mean([theme[codes[sel[k]]] == theme[codes[sel[int(np.argmax(sim[k]))]]] for k in range(len(sel))])
        out[name] = {"spearman_cosine_vs_latent_distance": round(_spearman(sim[iu], -dist[iu]), 4),
                     "nearest_code_same_theme": round(float(nn_theme), 4)}
    out["definition"] = ("code vectors over the given patents; spearman = rank correlation over all code pairs of "
                         "cosine(code vectors) with minus the Euclidean distance of the ground-truth latent positions; "
                         "nearest_code_same_theme = share of codes whose most similar code has the same theme")
    return out


def level_tokens(code_tokens, level):
    """The tokens of `level` among a model's code tokens (a subclass token has 4 characters inside)."""
    return [t for t in code_tokens if (len(t) == 6) == (level == "subclass")]


def evaluate_levels(model, tok, levels, code_tokens, train_patents, eval_patents, max_len, split):
    """evaluate() per level, printed. One level: its result as is (the layout of one-level manifests);
    several: {level: result}."""
    out = {}
    for lv in levels:
        e = evaluate(model, tok, level_tokens(code_tokens, lv), train_patents, eval_patents, max_len, field=td.LEVELS[lv])
        e["split"] = split
        e["level"] = lv
        print(f"{lv}:")
        print_report(e)
        out[lv] = e
    return out[levels[0]] if len(levels) == 1 else out


def print_report(e):
    print(f"masked-code prediction on {e['patents']} patents ({e['gold_codes']} gold codes, "
          f"{e['gold_codes_without_token']} without a token):")
    for k in ("model", "frequency", "cooccurrence"):
        print(f"  {k:13s} top-1 {e[k]['top1']:.4f}  top-10 recall {e[k]['top10_recall']:.4f}")


def main():
    parser = argparse.ArgumentParser(description="masked-code prediction for a TechToken model")
    parser.add_argument("--model", default="models/ps-techtoken-tiny")
    parser.add_argument("--corpus", default=None, help="default: the manifest's training corpus")
    parser.add_argument("--years", default=None, help="evaluate patents of these years, e.g. 2006-2012 "
                                                       "(default: the manifest's held-out patents)")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--ground-truth", default=None, help="demo ground-truth.json: also score the code vectors "
                                                             "(built from all patents of the pool)")
    parser.add_argument("--write-manifest", action="store_true", help="store the figures in MODEL/manifest.json")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)

    manifest = json.load(open(os.path.join(args.model, "manifest.json")))
    tr = manifest["training"]
    corpus = args.corpus or tr["corpus"]
    patents = td.load_patents(corpus)
    pool, train, held = td.split_patents(patents, tr["until_year"], tr["seed"])
    held_ids = [p["id"] for p in held]
    if ("held_out_ids" in tr and sorted(held_ids) != tr["held_out_ids"]) or \
            ("held_out_ids_sha256" in tr and td.ids_digest(held_ids) != tr["held_out_ids_sha256"]):
        sys.exit("held-out ids differ from the manifest's: wrong corpus?")
    tok = wp.load_tokenizer(args.model)
    model = load_from_onnx(args.model)
    max_len = json.load(open(os.path.join(args.model, "config.json")))["max_position_embeddings"]
    if args.years:
        lo, hi = (int(y) for y in args.years.split("-"))
        evals = [p for p in patents if p["year"] is not None and lo <= p["year"] <= hi]
        overlap = {p["id"] for p in evals} & {p["id"] for p in train}
        if overlap:
            sys.exit(f"{len(overlap)} evaluation patents were trained on")
        split = f"patents {lo}-{hi} of {corpus}"
    else:
        evals, split = held, "held-out 10 % of the training pool (never trained on)"
    print(split)
    levels = manifest.get("code_levels", ["subclass"])
    e = evaluate_levels(model, tok, levels, manifest["code_tokens"], train, evals, max_len, split)
    e["command"] = "/usr/bin/python3 " + " ".join(sys.argv)
    if args.ground_truth:
        q = code_vector_quality(model, tok, level_tokens(manifest["code_tokens"], "subclass"), pool, max_len,
                                args.ground_truth)
        e["code_vectors"] = q
        print(f"code vectors vs ground truth ({q['codes']} codes): " + "; ".join(
            f"{k} spearman {q[k]['spearman_cosine_vs_latent_distance']:.4f} nearest-same-theme "
            f"{q[k]['nearest_code_same_theme']:.4f}" for k in ("techtoken", "text_mean")))
    if args.write_manifest:
        key = "evaluation" if not args.years else "evaluation_" + args.years
        manifest[key] = e
        json.dump(manifest, open(os.path.join(args.model, "manifest.json"), "w"), indent=2)
        print(f"wrote {key} into {args.model}/manifest.json")


if __name__ == "__main__":
    main()
