"""TechToken data: patents and their codes per level (subclass, main group), the seeded held-out split,
the input sequence `[CLS] title [SEP] abstract [SEP] codes [SEP]` and the masking of the two training stages."""
import hashlib
import json
import random
import re

import torch

CODE_RE = re.compile(r"^[A-HY]\d\d[A-Z]")
# A written group code, `H04L 12/18` or `H04L12/18` (the forms of the corpora used here). The main group
# is canonicalised as the app's normaliser does (src/core/codes.ts): `H04L 12/00`, no leading zeros.
GROUP_RE = re.compile(r"^([A-HY]\d\d[A-Z])\s*-?\s*(\d{1,4})\s*/\s*\d{1,6}(?=$|[\s(])")
# Code levels a model can have tokens for, and the patent field holding each level's codes.
LEVELS = {"subclass": "subclasses", "main_group": "main_groups"}


def subclasses(codes):
    """Sorted distinct subclasses of the codes that look like IPC/CPC codes (^[A-HY]\\d\\d[A-Z])."""
    return sorted({c.strip()[:4] for c in codes or [] if CODE_RE.match(c.strip())})


def main_groups(codes):
    """Sorted distinct main groups (`H04L 12/00`) of the codes written down to a group; subclass-only codes
    have none. Group 0 is padding, not a group (as in the app)."""
    out = set()
    for c in codes or []:
        m = GROUP_RE.match(c.strip().upper())
        if m and int(m.group(2)) > 0:
            out.add(f"{m.group(1)} {int(m.group(2))}/00")
    return sorted(out)


def code_token(code):
    """The vocabulary token of a canonical code: `H04L` -> `[H04L]`, `H04L 12/00` -> `[H04L12/00]` (no space
    inside a token, so whitespace handling of any tokenizer leaves it alone)."""
    return "[" + code.replace(" ", "") + "]"


def token_code(token):
    """Inverse of code_token: `[H04L12/00]` -> `H04L 12/00`."""
    inner = token[1:-1]
    return inner if len(inner) == 4 else inner[:4] + " " + inner[4:]


def ids_digest(ids):
    """sha256 of the sorted ids, one per line: names a split without listing its patents."""
    return hashlib.sha256("\n".join(sorted(ids)).encode()).hexdigest()


def load_patents(path):
    patents = []
    with open(path) as f:
        for line in f:
            if line.strip():
                p = json.loads(line)
                patents.append({"id": str(p["id"]), "year": p.get("year"), "title": p.get("title") or "",
                                "abstract": p.get("abstract") or "", "subclasses": subclasses(p.get("codes")),
                                "main_groups": main_groups(p.get("codes"))})
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


def pick_codes(code_sets, rng):
    """The code ids one sequence carries: a model with tokens at one level always gets that level's (no
    random draw, so a one-level run is the same as before levels existed); with several levels, one level
    of those the patent has codes at, uniformly, so each level's input `... [SEP] codes [SEP]` is in
    distribution on its own (the app feeds one level at a time)."""
    sets = [s for s in code_sets if s]
    if len(code_sets) == 1 or len(sets) <= 1:
        return sets[0] if sets else []
    return rng.choice(sets)


def make_example(tok, item, stage, rng, random_ids, max_len):
    """item = (title ids, abstract ids, [code ids of each level]). Returns (ids, text labels, code labels)."""
    title, abstract, code_sets = item
    codes = pick_codes(code_sets, rng)
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
