"""TechToken data: patents and their subclasses, the seeded held-out split, the input sequence
`[CLS] title [SEP] abstract [SEP] codes [SEP]` and the masking of the two training stages."""
import json
import random
import re

import torch

CODE_RE = re.compile(r"^[A-HY]\d\d[A-Z]")


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


def pad_batch(seqs, pad_id):
    t = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), t), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), t), dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        mask[i, :len(s)] = 1
    return ids, mask


# ---------------- masking ----------------
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
