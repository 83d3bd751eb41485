"""Helpers every recipe uses: logging, torch set-up, learning-rate schedules, file hashes and the
manifest's file table, JSON writing, ROC AUC and the ONNX export of the BERT-style encoders.

The recipes put models/recipes/ on sys.path (`sys.path.insert(0, HERE)`) and `import common`.
"""
import hashlib
import json
import math
import os
import time

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
BERT_IO_NAMES = ["input_ids", "attention_mask", "token_type_ids", "logits", "last_hidden_state"]


# ---------------- logging and torch set-up ----------------
def timed_logger(t_start):
    """log(*parts) printing `[  12.3s] parts...`, seconds since t_start."""
    def log(*a):
        print(f"[{time.time() - t_start:7.1f}s]", *a, flush=True)
    return log


def plain_log(message):
    print(message, flush=True)


def setup_torch(seed, threads):
    """Seeds torch's global generator and pins the thread count (the recipes train on 1 thread by default
    so that a second recipe can run beside them; the thread count also keeps the numerics reproducible)."""
    torch.set_num_threads(threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(seed)


# ---------------- learning-rate schedules ----------------
def cosine_floor(angle):
    """0.1 + 0.9 * (1 + cos(angle)) / 2: cosine from 1 (angle 0) down to 0.1 (angle pi)."""
    return 0.1 + 0.9 * 0.5 * (1 + math.cos(angle))


def warmup_cosine_lr(step, total, peak, warm=30):
    """Step-based: linear warm-up over `warm` steps, then cosine to 0.1 x peak at step `total`."""
    if step < warm:
        return peak * (step + 1) / warm
    return peak * cosine_floor(math.pi * (step - warm) / max(1, total - warm))


def progress_cosine_lr(step, progress, peak, warm=100):
    """Progress-based (progress in [0, 1], e.g. the share of a time budget used): linear warm-up over
    `warm` steps times a cosine to 0.1 x peak at progress 1."""
    return peak * min(1.0, (step + 1) / warm) * cosine_floor(math.pi * progress)


# ---------------- files ----------------
def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def file_table(out, skip="manifest.json"):
    """{relative path: {bytes, sha256}} of every file under out (os.walk order, names sorted), except `skip`."""
    files = {}
    for root, _, names in os.walk(out):
        for name in sorted(names):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, out)
            if rel != skip:
                files[rel] = {"bytes": os.path.getsize(path), "sha256": sha256(path)}
    return files


def oversized(files, limit=10 * 1024 * 1024):
    """{path: bytes} of the file_table entries over `limit` (the app bundles files of at most 10 MB)."""
    return {k: v["bytes"] for k, v in files.items() if v["bytes"] > limit}


def write_json(path, obj, **kw):
    with open(path, "w") as f:
        json.dump(obj, f, **kw)


def clear_onnx(out, names=None):
    """Makes out/onnx/ and removes the given files from it (all its files when names is None), so that a
    variant that is not rebuilt cannot stay behind with stale weights."""
    d = os.path.join(out, "onnx")
    os.makedirs(d, exist_ok=True)
    for name in (os.listdir(d) if names is None else names):
        if os.path.exists(os.path.join(d, name)):
            os.remove(os.path.join(d, name))


# ---------------- evaluation ----------------
def roc_auc(scores, labels):
    """Area under the ROC curve (Mann-Whitney U), ties given their average rank."""
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


# ---------------- ONNX ----------------
def export_bert_onnx(model, example, path):
    """One graph (opset 14, dynamic batch and sequence): input_ids, attention_mask, token_type_ids ->
    logits, last_hidden_state. `model(ids, mask, types)` must return (logits, hidden)."""
    torch.onnx.export(model, (example, torch.ones_like(example), torch.zeros_like(example)), path,
                      input_names=BERT_IO_NAMES[:3], output_names=BERT_IO_NAMES[3:],
                      dynamic_axes={n: {0: "batch_size", 1: "sequence_length"} for n in BERT_IO_NAMES},
                      opset_version=14, do_constant_folding=True)
