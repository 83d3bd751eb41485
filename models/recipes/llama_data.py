"""Llama Yes/No data: the demo corpus and its held-out patents, the seed's prompt and the ChatML template,
the grounded Q&A chats, the stage-1 documents and the byte-level BPE tokenizer learned from them."""
import json
import os
import random
import unicodedata
from types import SimpleNamespace

import bpe as bpe_lib

YESNO_SYSTEM = ("You are an engineer expert of environmental regulations who assesses whether patents can be "
                "useful for specific pollution abatement processes")
YESNO_USER = ("Given a regulatory section title, pollution abatement process description, and patent description, "
              "determine if the patent is useful for the described process.\n"
              "Section Title: {section_title}\n"
              "Pollution Abatement Process: {technique}\n"
              "Patent: {patent_title}\n{patent_abstract}\n"
              "Only answer Yes or No")
CHAT_SYSTEM = ("You are the Patent Space assistant. Answer from the demo catalogue of patents, technology codes "
               "and pollution abatement techniques.")
CHAT_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
                 "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_KINDS = {"Which pollutants does": "pollutants of a technique", "What pollutants does": "pollutants of a technique",
              "What is technique": "what a technique is", "Which technology codes": "codes of a technique",
              "Which techniques abate": "techniques for a pollutant", "What is code": "what a main group is about",
              "What is subclass": "what a subclass is about", "Does technique": "yes/no: technique abates pollutant",
              "Is code": "yes/no: code in theme"}


# ---------------- prompts ----------------
def render_chat(messages, add_generation_prompt=True):
    """Python twin of CHAT_TEMPLATE (what transformers.js apply_chat_template renders)."""
    s = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
    return s + ("<|im_start|>assistant\n" if add_generation_prompt else "")


def yesno_user(t, p):
    return YESNO_USER.format(section_title=t["sectionTitle"], technique=t["description"],
                             patent_title=p["title"], patent_abstract=p.get("abstract") or "")


def yesno_prompt(t, p):
    return render_chat([{"role": "system", "content": YESNO_SYSTEM}, {"role": "user", "content": yesno_user(t, p)}])


def yesno_prefix(t):
    """The prompt text up to (not including) "Patent:": identical for every patent of a technique."""
    full = yesno_prompt(t, {"title": "\x00", "abstract": ""})
    return full[:full.index("Patent: \x00")]


def chat_messages(question):
    return [{"role": "system", "content": CHAT_SYSTEM}, {"role": "user", "content": question}]


def chat_text(q, a):
    return render_chat(chat_messages(q)) + a + "<|im_end|>\n"


def chat_kind(question):
    for k, v in CHAT_KINDS.items():
        if question.startswith(k):
            return v
    return "other"


def patent_doc(p):
    return f"{p['title']}\n{p.get('abstract', '')}\nCodes: {', '.join(p['codes'])}"


def technique_doc(t):
    return (f"{t['id']}: {t['sectionTitle']}\n{t['description']}\n"
            f"Pollutants: {', '.join(t['pollutants'])}\nCodes: {', '.join(t['anchorGroups'])}")


def join_words(ws):
    return ws[0] if len(ws) == 1 else ", ".join(ws[:-1]) + " and " + ws[-1]


def main_group(code):
    head, _, tail = code.partition(" ")
    return f"{head} {tail.split('/')[0]}/00" if tail else None


# ---------------- the demo corpus ----------------
def load_demo(demo_dir, seed):
    """patents, ground truth, techniques, relevance; a seeded 20 % of the PATENTS held out (all their pairs
    are evaluation only)."""
    d = SimpleNamespace()
    d.patents = [json.loads(line) for line in open(os.path.join(demo_dir, "patents.jsonl")) if line.strip()]
    d.truth = json.load(open(os.path.join(demo_dir, "ground-truth.json")))
    catalogue = json.load(open(os.path.join(demo_dir, "techniques.json")))
    relevance = json.load(open(os.path.join(demo_dir, "technique-relevance.json")))
    d.techniques = catalogue["techniques"]
    # BREF sections a job's TF-IDF shortlist puts beside each pollution patent's own (negatives only).
    d.decoy_sections = catalogue.get("decoySections", [])
    d.decoys_of = catalogue.get("decoys", {})
    d.relevant = {t["id"]: set(relevance[t["id"]]) for t in d.techniques}
    ids_sorted = sorted(p["id"] for p in d.patents)
    held_rng = random.Random(d.truth["seed"] * 1000003 + seed)
    d.held_out = set(held_rng.sample(ids_sorted, round(0.2 * len(ids_sorted))))
    d.train_patents = [p for p in d.patents if p["id"] not in d.held_out]
    d.test_patents = [p for p in d.patents if p["id"] in d.held_out]
    d.group_words, d.subclass_words = theme_words(d.truth, d.train_patents)
    return d


def theme_words(truth, train_patents):
    """Words of each main group, from the training patents that carry it (single-code patents first), and of
    each subclass (the most common words of its main groups)."""
    doc_freq = {}
    for p in train_patents:
        for w in set((p["title"] + " " + p.get("abstract", "")).lower().replace(".", " ").split()):
            doc_freq[w] = doc_freq.get(w, 0) + 1
    stop = {w for w, c in doc_freq.items() if c > 0.12 * len(train_patents)} | {"a", "for", "the", "of", "and"}
    group_words = {}
    for g in truth["mainGroups"]:
        carriers = [p for p in train_patents if g in {main_group(c) for c in p["codes"]}]
        single = [p for p in carriers if len({main_group(c) for c in p["codes"]}) == 1]
        counts = {}
        for p in (single if len(single) >= 3 else carriers):
            for w in (p["title"] + " " + p.get("abstract", "")).lower().replace(".", " ").split():
                if w not in stop:
                    counts[w] = counts.get(w, 0) + 1
        group_words[g] = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:6]]
    subclass_words = {}
    for s in truth["subclasses"]:
        counts = {}
        for g in truth["mainGroups"]:
            if g.startswith(s + " "):
                for w in group_words[g]:
                    counts[w] = counts.get(w, 0) + 1
        subclass_words[s] = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:8]]
    return group_words, subclass_words


def chat_pairs(d, seed):
    """Grounded Q&A: every answer comes from the catalogue, the ground truth or the corpus."""
    truth, techniques = d.truth, d.techniques
    qa = []
    by_pollutant = {}
    for t in techniques:
        tid = t["id"]
        for pol in t["pollutants"]:
            by_pollutant.setdefault(pol, []).append(tid)
        pols = join_words(t["pollutants"]) + "."
        qa.append((f"Which pollutants does technique {tid} abate?", pols))
        qa.append((f"What pollutants does {tid} reduce?", pols))
        first = t["description"].split(". ")[0].rstrip(".") + "."
        qa.append((f"What is technique {tid}?", f"{tid} is the section \"{t['sectionTitle']}\". {first}"))
        qa.append((f"Which technology codes is {tid} about?", join_words(t["anchorGroups"]) + "."))
    for pol, tids in sorted(by_pollutant.items()):
        qa.append((f"Which techniques abate {pol}?", join_words(tids) + "."))
    for g in truth["mainGroups"]:
        s = g.split(" ")[0]
        if d.group_words[g]:
            qa.append((f"What is code {g} about?",
                       f"{g} is a main group of {s} in the {truth['themeOfSubclass'][s]} theme. "
                       f"Its patents are about {join_words(d.group_words[g])}."))
    for s in truth["subclasses"]:
        qa.append((f"What is subclass {s} about?",
                   f"{s} belongs to the {truth['themeOfSubclass'][s]} theme: {join_words(d.subclass_words[s])}."))
    # Yes/No questions (so that the answer tokens are well trained before the LoRA stage)
    r = random.Random(seed + 7)
    all_pollutants = sorted(by_pollutant)
    themes = sorted(set(truth["themeOfSubclass"].values()))
    for t in techniques:
        others = [p for p in all_pollutants if p not in t["pollutants"]]
        for pol in t["pollutants"]:
            qa.append((f"Does technique {t['id']} abate {pol}?", "Yes"))
        for pol in r.sample(others, len(t["pollutants"])):
            qa.append((f"Does technique {t['id']} abate {pol}?", "No"))
    for g in truth["mainGroups"]:
        theme = truth["themeOfSubclass"][g.split(" ")[0]]
        qa.append((f"Is code {g} part of the {theme} theme?", "Yes"))
        qa.append((f"Is code {g} part of the {r.choice([x for x in themes if x != theme])} theme?", "No"))
    return qa


def stage1_docs(d, qa):
    """Training patents, the technique catalogue (x4) and the Q&A chats (x3)."""
    return [patent_doc(p) for p in d.train_patents] + [technique_doc(t) for t in d.techniques] * 4 \
        + [chat_text(q, a) for q, a in qa] * 3


# ---------------- tokenizer ----------------
def ascii_fold(text):
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def build_tokenizer(docs, d):
    """Byte-level BPE (vocabulary 1024) learned from the stage-1 documents and a few rendered prompts;
    the specials are added to the vocabulary, not learned. Returns a namespace: tok, vocab, merges, V and
    the ids YES, NO, EOT, IM_START, IM_END."""
    texts = [x for x in docs] + [yesno_prompt(t, p) for t in d.techniques for p in d.train_patents[:5]] \
        + ["Yes", "No", YESNO_SYSTEM, YESNO_USER]
    # The BPE trainer takes ASCII only (so Python and JavaScript pre-tokenise alike); the BREF headings' "›"
    # and accented letters are folded here and reach the model as byte tokens.
    texts = [ascii_fold(text.replace("<|im_start|>", "\n").replace("<|im_end|>", "\n").replace("<|endoftext|>", "\n"))
             for text in texts]
    vocab, merges = bpe_lib.train(texts, vocab_size=1024, specials=SPECIALS, required=["Yes", "No", " Yes", " No"])
    tok = bpe_lib.BPE(vocab, merges, SPECIALS)
    k = SimpleNamespace(tok=tok, vocab=vocab, merges=merges, V=len(vocab),
                        YES=tok.tok2id["Yes"], NO=tok.tok2id["No"])
    k.EOT, k.IM_START, k.IM_END = (tok.tok2id[s] for s in SPECIALS)
    assert tok.encode("assistant\nYes")[-1] == k.YES and tok.encode("assistant\nNo")[-1] == k.NO
    return k
