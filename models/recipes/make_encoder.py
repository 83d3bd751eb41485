#!/usr/bin/python3
"""Builds the bundled BERT-style encoder with one vocabulary token per technology code.

usage: /usr/bin/python3 models/recipes/make_encoder.py [--corpus public/demo/patents.jsonl]
                                                      [--out models/ps-encoder-tiny] [--seed 0]

What it writes (the folder layout transformers.js loads from a local model path):
  config.json, tokenizer.json, tokenizer_config.json  - BERT config + WordPiece tokenizer
  onnx/model.onnx        - ONE graph with outputs `logits` (masked LM) and `last_hidden_state`
  reference.json         - token ids and mean-pooled embeddings of fixed texts, for the tests
  manifest.json          - kind, architecture, code tokens, sha256 of every file

The weights are random (seeded): this is the walking-skeleton model. A trained TechToken
recipe replaces the weights later; the file layout and the tokenizer rules stay.
"""
import argparse
import hashlib
import json
import math
import os
import re
import unicodedata

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--corpus", default="public/demo/patents.jsonl")
parser.add_argument("--out", default="models/ps-encoder-tiny")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
torch.manual_seed(args.seed)

# ---------------- 1. vocabulary from the corpus ----------------
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
TECH_SEP = "[TECH_SEP]"
PUNCT_CHARS = list(".,;:!?()[]-/'\"")
patents = [json.loads(line) for line in open(args.corpus) if line.strip()]


def is_punctuation(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def normalise(text):
    """BertNormalizer(lowercase=True, strip_accents=None): lowercasing also strips accents."""
    text = "".join(" " if ch in "\t\n\r" or unicodedata.category(ch) == "Zs" else ch for ch in text)
    text = unicodedata.normalize("NFD", text.lower())
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def pre_tokenise(text):
    """BertPreTokenizer: split on whitespace, then every punctuation character is its own word."""
    words = []
    for chunk in text.split():
        current = ""
        for ch in chunk:
            if is_punctuation(ch):
                if current:
                    words.append(current)
                words.append(ch)
                current = ""
            else:
                current += ch
        if current:
            words.append(current)
    return words


# Code tokens at subclass level (`H04L`): the canonical code's first word, whatever level it is written at.
codes = sorted({c.split(" ")[0] for p in patents for c in p["codes"]})
word_counts = {}
for p in patents:
    for field in ("title", "abstract"):
        for w in pre_tokenise(normalise(p.get(field) or "")):
            word_counts[w] = word_counts.get(w, 0) + 1
corpus_words = sorted(w for w in word_counts if not all(is_punctuation(c) for c in w))
CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789")
base_vocab = SPECIAL + [w for w in corpus_words if w not in CHARS] + CHARS + ["##" + c for c in CHARS] + PUNCT_CHARS
added = codes + [TECH_SEP]
vocab = base_vocab + added
tok2id = {t: i for i, t in enumerate(vocab)}
assert len(tok2id) == len(vocab), "duplicate vocabulary entries"


def wordpiece(word):
    if word in tok2id:
        return [word]
    pieces, start = [], 0
    while start < len(word):
        end, found = len(word), None
        while start < end:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in tok2id:
                found = piece
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def tokenise(text):
    """[CLS] text [SEP], with code tokens matched case-sensitively before normalisation."""
    pattern = "(" + "|".join(re.escape(t) for t in sorted(added, key=len, reverse=True)) + ")"
    tokens = ["[CLS]"]
    for part in re.split(pattern, text):
        if part in added:
            tokens.append(part)
        elif part:
            for w in pre_tokenise(normalise(part)):
                tokens.extend(wordpiece(w))
    tokens.append("[SEP]")
    return [tok2id[t] for t in tokens]


# ---------------- 2. model ----------------
HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POS = 64, 2, 4, 128, 256
cfg = dict(vocab_size=len(vocab), hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
           intermediate_size=INTERMEDIATE, max_position_embeddings=MAX_POS, type_vocab_size=2, layer_norm_eps=1e-12)


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q, self.k, self.v, self.o = (nn.Linear(hidden, hidden) for _ in range(4))
        self.ln1 = nn.LayerNorm(hidden, eps=eps)
        self.fc1, self.fc2 = nn.Linear(hidden, intermediate), nn.Linear(intermediate, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x, bias):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.o(y))
        return self.ln2(x + self.fc2(F.gelu(self.fc1(x))))


class TinyBert(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.wte = nn.Embedding(c["vocab_size"], h)
        self.wpe = nn.Embedding(c["max_position_embeddings"], h)
        self.tte = nn.Embedding(c["type_vocab_size"], h)
        self.ln = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.layers = nn.ModuleList(Layer(h, c["num_attention_heads"], c["intermediate_size"], c["layer_norm_eps"])
                                    for _ in range(c["num_hidden_layers"]))
        self.head_dense = nn.Linear(h, h)
        self.head_ln = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.head_bias = nn.Parameter(torch.zeros(c["vocab_size"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.ln(self.wte(input_ids) + self.wpe(positions) + self.tte(token_type_ids))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        logits = self.head_ln(F.gelu(self.head_dense(x))) @ self.wte.weight.t() + self.head_bias  # tied decoder
        return logits, x


model = TinyBert(cfg).eval()

# ---------------- 3. export ----------------
os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
example = torch.tensor([tokenise("battery anode H01M")], dtype=torch.long)
io_names = ["input_ids", "attention_mask", "token_type_ids", "logits", "last_hidden_state"]
torch.onnx.export(model, (example, torch.ones_like(example), torch.zeros_like(example)),
                  os.path.join(args.out, "onnx", "model.onnx"),
                  input_names=io_names[:3], output_names=io_names[3:],
                  dynamic_axes={n: {0: "batch_size", 1: "sequence_length"} for n in io_names},
                  opset_version=14, do_constant_folding=True)

# ---------------- 4. reference outputs (mask-aware mean pooling, L2-normalised) ----------------
REFERENCE_TEXTS = [
    "Battery anode with lithium electrolyte for fast charging",
    "Wireless network H04L packet protocol [TECH_SEP] H04W",
    "A filter comprising a membrane and a scrubber is disclosed.",
]
references = []
with torch.no_grad():
    for text in REFERENCE_TEXTS:
        ids = torch.tensor([tokenise(text)], dtype=torch.long)
        _, hidden = model(ids, torch.ones_like(ids), torch.zeros_like(ids))
        pooled = hidden[0].mean(0)
        references.append({"text": text, "input_ids": ids[0].tolist(),
                           "embedding": F.normalize(pooled, dim=0).tolist()})
json.dump({"pooling": "mean", "normalize": True, "dtype": "fp32", "references": references},
          open(os.path.join(args.out, "reference.json"), "w"))

# ---------------- 5. config + tokenizer (HF `tokenizers` schema) ----------------
json.dump({"architectures": ["BertForMaskedLM"], "model_type": "bert", **cfg, "hidden_act": "gelu",
           "pad_token_id": 0, "transformers.js_config": {"dtype": "fp32"}},
          open(os.path.join(args.out, "config.json"), "w"), indent=2)


def added_token(content, special):
    return {"id": tok2id[content], "content": content, "single_word": False, "lstrip": False, "rstrip": False,
            "normalized": False, "special": special}


tokenizer = {
    "version": "1.0", "truncation": None, "padding": None,
    "added_tokens": [added_token(t, True) for t in SPECIAL] + [added_token(c, False) for c in codes]
                    + [added_token(TECH_SEP, True)],
    "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                   "strip_accents": None, "lowercase": True},
    "pre_tokenizer": {"type": "BertPreTokenizer"},
    "post_processor": {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                   {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}},
                 {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
        "special_tokens": {t: {"id": t, "ids": [tok2id[t]], "tokens": [t]} for t in ["[CLS]", "[SEP]"]},
    },
    "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
    "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
              "max_input_chars_per_word": 100, "vocab": tok2id},
}
json.dump(tokenizer, open(os.path.join(args.out, "tokenizer.json"), "w"))
json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": MAX_POS,
           "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
           "mask_token": "[MASK]", "additional_special_tokens": [TECH_SEP], "clean_up_tokenization_spaces": True},
          open(os.path.join(args.out, "tokenizer_config.json"), "w"), indent=2)

# ---------------- 6. manifest ----------------
files = {}
for root, _, names in os.walk(args.out):
    for name in sorted(names):
        path = os.path.join(root, name)
        rel = os.path.relpath(path, args.out)
        if rel != "manifest.json":
            files[rel] = {"bytes": os.path.getsize(path), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}
manifest = {
    "name": os.path.basename(os.path.normpath(args.out)),
    "kind": "encoder",
    "architecture": {"type": "bert", "hidden": HIDDEN, "layers": LAYERS, "heads": HEADS,
                     "intermediate": INTERMEDIATE, "max_positions": MAX_POS, "vocab": len(vocab)},
    "outputs": ["logits", "last_hidden_state"],
    "code_level": "subclass",
    "code_tokens": codes,
    "separator_token": TECH_SEP,
    "training": {"status": "random-init", "seed": args.seed, "corpus": args.corpus, "patents": len(patents)},
    "recipe": "models/recipes/make_encoder.py",
    "files": files,
}
json.dump(manifest, open(os.path.join(args.out, "manifest.json"), "w"), indent=2)
params = sum(p.numel() for p in model.parameters())
print(f"wrote {args.out}: vocab {len(vocab)} ({len(added)} added), {params} params, "
      f"onnx {files['onnx/model.onnx']['bytes']} bytes")
