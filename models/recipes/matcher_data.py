"""BREF matcher data: the shared EP pollution patents and BREF sections, the fixed held-out rule, the
project's TF-IDF twin (hard negatives and the prefilter), the stage-1 documents, the BPE tokenizer and
the engine's prompt fitting (src/ml/yesno.ts fitPrompt) so that training and evaluation see the prompts
the app sends."""
import json
import math
import os
import re
import unicodedata
from types import SimpleNamespace

import bpe as bpe_lib
import bpe_incremental
from llama_data import SPECIALS, YESNO_SYSTEM, YESNO_USER, render_chat

STOP = {"a", "an", "and", "are", "as", "at", "be", "been", "by", "can", "for", "from", "has", "have", "in", "into",
        "is", "it", "its", "may", "of", "on", "or", "such", "that", "the", "their", "there", "these", "this", "to",
        "was", "were", "which", "with", "within", "without"}
SEP = re.compile(r"[\W_]+")      # src/core/prefilter/tokenize.ts: split on what is not a letter or digit


def fnv1a(text):
    """src/core/hash.ts fnv1aString: FNV-1a 32-bit over the UTF-16 code units."""
    h = 0x811C9DC5
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        h = ((h ^ (units[i] | units[i + 1] << 8)) * 16777619) & 0xFFFFFFFF
    return h


def first_reference(p, with_text):
    return next((s for s in p.get("bref_sections") or [] if s in with_text), None)


def load(data_dir):
    """Sections (all, and the 299 with text), patents, the held-out rule and the training patents."""
    d = SimpleNamespace(data_dir=data_dir)
    d.sections_all = [json.loads(x) for x in open(os.path.join(data_dir, "bref.jsonl")) if x.strip()]
    d.sections = [s for s in d.sections_all if (s.get("text") or "").strip()]
    d.sec_index = {s["id"]: i for i, s in enumerate(d.sections)}
    d.patents = [json.loads(x) for x in open(os.path.join(data_dir, "patents_ep_pollution.jsonl")) if x.strip()]
    judged = [p for p in d.patents if (p.get("bref_sections") or [None])[0] in d.sec_index]
    rule = [0]
    held = {p["id"] for p in judged if fnv1a(p["id"]) % 5 in rule}
    if len(held) < 0.2 * len(judged):
        rule = [0, 1]
        held = {p["id"] for p in judged if fnv1a(p["id"]) % 5 in rule}
    d.held_rule = f"FNV-1a 32-bit of the id (UTF-16 code units) mod 5 in {rule}, among the patents whose first " \
                  f"reference section has text"
    d.judged = judged
    d.eval_patents = [p for p in judged if p["id"] in held]
    # Never trained on: the held-out patents (both stages, the tokenizer, the TF-IDF negatives).
    d.train_all = [p for p in d.patents if p["id"] not in held]
    d.train_pos = [(p, first_reference(p, d.sec_index)) for p in d.train_all if first_reference(p, d.sec_index)]
    d.until_year = max(int(p["year"]) for p in d.train_all)
    return d


def patent_text(p):
    """src/core/patent-text.ts: title, then the abstract."""
    t, a = (p.get("title") or "").strip(), (p.get("abstract") or "").strip()
    return f"{t}. {a}" if t and a else (t or a)


def section_text(s):
    """scripts/match.ts sectionText: title and text."""
    return ". ".join(x for x in [s.get("title") or "", s.get("text") or ""] if x)


# ---------------- TF-IDF (src/core/prefilter/tfidf.ts) ----------------
def terms(text):
    counts = {}
    for t in SEP.split(text.lower()):
        if t and t not in STOP:
            counts[t] = counts.get(t, 0) + 1
    return counts


class Tfidf:
    """w = (1 + ln tf) idf, idf = ln((1 + N) / (1 + df)) + 1 from the documents only, cosine."""

    def __init__(s, docs):
        counted = [terms(x) for x in docs]
        df = {}
        for c in counted:
            for t in c:
                df[t] = df.get(t, 0) + 1
        n = len(docs)
        s.idf = {t: math.log((1 + n) / (1 + v)) + 1 for t, v in df.items()}
        s.post = {}
        for i, c in enumerate(counted):
            w = {t: (1 + math.log(tf)) * s.idf[t] for t, tf in c.items()}
            norm = math.sqrt(sum(v * v for v in w.values()))
            for t, v in w.items():
                s.post.setdefault(t, []).append((i, v / norm))
        s.n = n

    def ranking(s, query):
        """Document indices by cosine, ties to the lower index; documents sharing no term are left out."""
        acc = {}
        w = {t: (1 + math.log(tf)) * s.idf[t] for t, tf in terms(query).items() if t in s.idf}
        norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
        for t, v in w.items():
            for i, dv in s.post[t]:
                acc[i] = acc.get(i, 0.0) + v / norm * dv
        return sorted(acc, key=lambda i: (-acc[i], i)), acc


# ---------------- stage-1 documents and tokenizer ----------------
def ascii_fold(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def stage1_docs(d):
    """The 299 section texts (x2), the titles and paths of all 5,432 sections, the training patents."""
    texts = [f"{s['title']}\n{s['text']}" for s in d.sections] * 2
    heads = [" / ".join(s.get("path") or [s.get("title") or ""]) for s in d.sections_all]
    heads = [h for h in heads if h]
    patents = [patent_text(p) for p in d.train_all]
    return texts + heads + patents, {"section_texts": len(d.sections), "section_texts_repeats": 2,
                                     "section_headings": len(heads), "training_patents": len(patents)}


def build_tokenizer(docs, vocab_size):
    texts = [ascii_fold(x) for x in docs] + [YESNO_SYSTEM, YESNO_USER, "Yes", "No"]
    vocab, merges = bpe_incremental.train(texts, vocab_size=vocab_size, specials=SPECIALS,
                                          required=["Yes", "No", " Yes", " No"])
    tok = bpe_lib.BPE(vocab, merges, SPECIALS)
    k = SimpleNamespace(tok=tok, vocab=vocab, merges=merges, V=len(vocab), YES=tok.tok2id["Yes"], NO=tok.tok2id["No"])
    k.EOT, k.IM_START, k.IM_END = (tok.tok2id[s] for s in SPECIALS)
    assert tok.encode("assistant\nYes")[-1] == k.YES and tok.encode("assistant\nNo")[-1] == k.NO
    return k


# ---------------- prompts, fitted as the engine fits them ----------------
def pair_of(s, p):
    """scripts/match.ts pairText: the section title and text, the patent title and abstract."""
    return {"section_title": s.get("title") or s["id"], "technique": s.get("text") or "",
            "patent_title": p.get("title") or "", "patent_abstract": p.get("abstract") or ""}


def prompt_text(pair):
    user = YESNO_USER
    for key in ("section_title", "technique", "patent_title", "patent_abstract"):
        user = user.replace("{" + key + "}", pair[key])
    return render_chat([{"role": "system", "content": YESNO_SYSTEM}, {"role": "user", "content": user}])


def longest_prefix(n_max, fits):
    lo, hi = 0, n_max
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


class Fitter:
    """Twin of YesNoEngine.fitPrompt: the instruction and section title kept, the patent given up to half of
    the room left, the process text cut to the rest, then the abstract, then the title (character prefixes).
    The cut of a section's text depends only on the room, so it is cached per (section, room)."""

    def __init__(s, k, max_context):
        s.k, s.max = k, max_context
        s.tech_cut = {}

    def ids(s, pair):
        return s.k.tok.encode(prompt_text(pair))

    def fit(s, pair):
        whole = s.ids(pair)
        if len(whole) <= s.max:
            return whole
        n = lambda q: len(s.ids(q))
        bare = n({**pair, "technique": "", "patent_title": "", "patent_abstract": ""})
        if bare > s.max:
            raise ValueError("instruction and section title exceed the context")
        patent_tokens = n({**pair, "technique": ""}) - bare
        reserve = min(patent_tokens, (s.max - bare) // 2)
        tech = pair["technique"]
        key = (pair["section_title"], len(tech), tech[:64], reserve)
        if key not in s.tech_cut:
            no_patent = {**pair, "patent_title": "", "patent_abstract": ""}
            if n(no_patent) > s.max - reserve:
                cut = longest_prefix(len(tech), lambda m: n({**no_patent, "technique": tech[:m]}) <= s.max - reserve)
            else:
                cut = len(tech)
            s.tech_cut[key] = cut
        fitted = {**pair, "technique": tech[:s.tech_cut[key]]}
        fits = lambda q: n(q) <= s.max
        if fits(fitted):
            return s.ids(fitted)
        ab = pair["patent_abstract"]
        cut = longest_prefix(len(ab), lambda m: fits({**fitted, "patent_abstract": ab[:m]}))
        if cut > 0 or fits({**fitted, "patent_abstract": ""}):
            return s.ids({**fitted, "patent_abstract": ab[:cut]})
        ti = pair["patent_title"]
        cut = longest_prefix(len(ti), lambda m: fits({**fitted, "patent_title": ti[:m], "patent_abstract": ""}))
        return s.ids({**fitted, "patent_title": ti[:cut], "patent_abstract": ""})
