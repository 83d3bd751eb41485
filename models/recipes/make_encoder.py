#!/usr/bin/python3
"""Builds the bundled BERT-style encoder with one vocabulary token per technology code.

usage: /usr/bin/python3 models/recipes/make_encoder.py [--corpus public/demo/patents.jsonl]
                                                      [--out models/ps-encoder-tiny] [--seed 0]

What it writes (the folder layout transformers.js loads from a local model path):
  config.json, tokenizer.json, tokenizer_config.json  - BERT config + WordPiece tokenizer (wordpiece.py)
  onnx/model.onnx        - ONE graph with outputs `logits` (masked LM) and `last_hidden_state`
  reference.json         - token ids and mean-pooled embeddings of fixed texts, for the tests
  manifest.json          - kind, architecture, code tokens, sha256 of every file

The weights are random (seeded): this is the walking-skeleton model. A trained TechToken
recipe replaces the weights later; the file layout and the tokenizer rules stay.
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import common  # noqa: E402
import wordpiece as wp  # noqa: E402
from techtoken_model import Layer, attention_bias  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("--corpus", default="public/demo/patents.jsonl")
parser.add_argument("--out", default="models/ps-encoder-tiny")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
torch.manual_seed(args.seed)

# ---------------- 1. vocabulary from the corpus ----------------
# Code tokens are bare subclasses (`H04L`, the canonical code's first word, whatever level it is written
# at), matched case-sensitively before normalisation; the vocabulary is every corpus word whole, plus
# characters and ##characters so that any other word still splits into pieces.
PUNCT_CHARS = list(".,;:!?()[]-/'\"")
CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789")
patents = [json.loads(line) for line in open(args.corpus) if line.strip()]
codes = sorted({c.split(" ")[0] for p in patents for c in p["codes"]})
word_counts = {}
for p in patents:
    for field in ("title", "abstract"):
        for w in wp.words_of(p.get(field) or ""):
            word_counts[w] = word_counts.get(w, 0) + 1
corpus_words = sorted(w for w in word_counts if not all(wp.is_punctuation(c) for c in w))
base_vocab = wp.SPECIAL + [w for w in corpus_words if w not in CHARS] + CHARS + ["##" + c for c in CHARS] \
    + PUNCT_CHARS
added = codes + [wp.TECH_SEP]
vocab = base_vocab + added
tok = wp.Tokenizer(vocab, added_tokens=codes)     # specials: wp.SPECIAL + [TECH_SEP]

# ---------------- 2. model ----------------
HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POS = 64, 2, 4, 128, 256
cfg = dict(vocab_size=len(vocab), hidden_size=HIDDEN, num_hidden_layers=LAYERS, num_attention_heads=HEADS,
           intermediate_size=INTERMEDIATE, max_position_embeddings=MAX_POS, type_vocab_size=2, layer_norm_eps=1e-12)


class TinyBert(nn.Module):
    """TechTokenBert's layout with torch's default initialisation (nn.Embedding, nn.Linear) and no dropout."""

    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.wte = nn.Embedding(c["vocab_size"], h)
        self.wpe = nn.Embedding(c["max_position_embeddings"], h)
        self.tte = nn.Embedding(c["type_vocab_size"], h)
        self.ln = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.layers = nn.ModuleList(Layer(h, c["num_attention_heads"], c["intermediate_size"], c["layer_norm_eps"],
                                          linear=nn.Linear) for _ in range(c["num_hidden_layers"]))
        self.head_dense = nn.Linear(h, h)
        self.head_ln = nn.LayerNorm(h, eps=c["layer_norm_eps"])
        self.head_bias = nn.Parameter(torch.zeros(c["vocab_size"]))

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.ln(self.wte(input_ids) + self.wpe(positions) + self.tte(token_type_ids))
        bias = attention_bias(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        logits = self.head_ln(F.gelu(self.head_dense(x))) @ self.wte.weight.t() + self.head_bias  # tied decoder
        return logits, x


model = TinyBert(cfg).eval()

# ---------------- 3. export ----------------
os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
example = torch.tensor([tok.encode("battery anode H01M")], dtype=torch.long)
common.export_bert_onnx(model, example, os.path.join(args.out, "onnx", "model.onnx"))

# ---------------- 4. reference outputs (mask-aware mean pooling, L2-normalised) ----------------
REFERENCE_TEXTS = [
    "Battery anode with lithium electrolyte for fast charging",
    "Wireless network H04L packet protocol [TECH_SEP] H04W",
    "A filter comprising a membrane and a scrubber is disclosed.",
]
references = []
with torch.no_grad():
    for text in REFERENCE_TEXTS:
        ids = torch.tensor([tok.encode(text)], dtype=torch.long)
        _, hidden = model(ids, torch.ones_like(ids), torch.zeros_like(ids))
        pooled = hidden[0].mean(0)
        references.append({"text": text, "input_ids": ids[0].tolist(),
                           "embedding": F.normalize(pooled, dim=0).tolist()})
common.write_json(os.path.join(args.out, "reference.json"),
                  {"pooling": "mean", "normalize": True, "dtype": "fp32", "references": references})

# ---------------- 5. config + tokenizer (HF `tokenizers` schema) ----------------
common.write_json(os.path.join(args.out, "config.json"),
                  {"architectures": ["BertForMaskedLM"], "model_type": "bert", **cfg, "hidden_act": "gelu",
                   "pad_token_id": 0, "transformers.js_config": {"dtype": "fp32"}}, indent=2)
wp.write_tokenizer(args.out, tok, model_max_length=MAX_POS)

# ---------------- 6. manifest ----------------
files = common.file_table(args.out)
manifest = {
    "name": os.path.basename(os.path.normpath(args.out)),
    "kind": "encoder",
    "architecture": {"type": "bert", "hidden": HIDDEN, "layers": LAYERS, "heads": HEADS,
                     "intermediate": INTERMEDIATE, "max_positions": MAX_POS, "vocab": len(vocab)},
    "outputs": ["logits", "last_hidden_state"],
    "code_level": "subclass",
    "code_tokens": codes,
    "separator_token": wp.TECH_SEP,
    "training": {"status": "random-init", "seed": args.seed, "corpus": args.corpus, "patents": len(patents),
                 # Random weights learn nothing; only the vocabulary's code tokens come from the corpus.
                 "until_year": None},
    "recipe": "models/recipes/make_encoder.py",
    "files": files,
}
common.write_json(os.path.join(args.out, "manifest.json"), manifest, indent=2)
params = sum(p.numel() for p in model.parameters())
print(f"wrote {args.out}: vocab {len(vocab)} ({len(added)} added), {params} params, "
      f"onnx {files['onnx/model.onnx']['bytes']} bytes")
