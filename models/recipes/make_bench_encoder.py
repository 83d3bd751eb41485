#!/usr/bin/python3
"""Builds a random-weight BERT encoder of a chosen shape for the embedding benchmarks.

usage: /usr/bin/python3 models/recipes/make_bench_encoder.py --out DIR
           [--layers 6] [--hidden 384] [--heads 12] [--intermediate 1536] [--max-positions 256]
           [--tokenizer-from models/ps-encoder-tiny] [--seed 0]

The defaults are the shape of all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads, FFN 1536), so the
benchmarks measure the engine on a realistically sized encoder without downloading one. The
tokenizer is copied from a bundled model (the vocabulary size does not change the cost of a
forward pass: embeddings are a lookup). The graph has one output, `last_hidden_state`, as
sentence-transformers' ONNX exports have. Weights are random and seeded: the vectors mean
nothing, they only have to be the same on every path. The folder (~45 MB) is not committed.
"""
import argparse
import hashlib
import json
import math
import os
import shutil

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--out", required=True)
parser.add_argument("--layers", type=int, default=6)
parser.add_argument("--hidden", type=int, default=384)
parser.add_argument("--heads", type=int, default=12)
parser.add_argument("--intermediate", type=int, default=1536)
parser.add_argument("--max-positions", type=int, default=256)
parser.add_argument("--tokenizer-from", default="models/ps-encoder-tiny")
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
torch.manual_seed(args.seed)

vocab_size = len(json.load(open(os.path.join(args.tokenizer_from, "tokenizer.json")))["model"]["vocab"])
EPS = 1e-12


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q, self.k, self.v, self.o = (nn.Linear(hidden, hidden) for _ in range(4))
        self.ln1 = nn.LayerNorm(hidden, eps=EPS)
        self.fc1, self.fc2 = nn.Linear(hidden, intermediate), nn.Linear(intermediate, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=EPS)

    def forward(self, x, bias):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.o(y))
        return self.ln2(x + self.fc2(F.gelu(self.fc1(x))))


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        h = args.hidden
        self.wte = nn.Embedding(vocab_size, h)
        self.wpe = nn.Embedding(args.max_positions, h)
        self.tte = nn.Embedding(2, h)
        self.ln = nn.LayerNorm(h, eps=EPS)
        self.layers = nn.ModuleList(Layer(h, args.heads, args.intermediate) for _ in range(args.layers))

    def forward(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.ln(self.wte(input_ids) + self.wpe(positions) + self.tte(token_type_ids))
        bias = (1.0 - attention_mask[:, None, None, :].to(x.dtype)) * -10000.0
        for layer in self.layers:
            x = layer(x, bias)
        return x


model = Encoder().eval()
os.makedirs(os.path.join(args.out, "onnx"), exist_ok=True)
example = torch.tensor([[2, 10, 11, 12, 3]], dtype=torch.long)
names = ["input_ids", "attention_mask", "token_type_ids", "last_hidden_state"]
torch.onnx.export(model, (example, torch.ones_like(example), torch.zeros_like(example)),
                  os.path.join(args.out, "onnx", "model.onnx"),
                  input_names=names[:3], output_names=names[3:],
                  dynamic_axes={n: {0: "batch_size", 1: "sequence_length"} for n in names},
                  opset_version=14, do_constant_folding=True)

for name in ("tokenizer.json", "tokenizer_config.json"):
    shutil.copy(os.path.join(args.tokenizer_from, name), os.path.join(args.out, name))
config = {"architectures": ["BertModel"], "model_type": "bert", "vocab_size": vocab_size, "hidden_size": args.hidden,
          "num_hidden_layers": args.layers, "num_attention_heads": args.heads, "intermediate_size": args.intermediate,
          "max_position_embeddings": args.max_positions, "type_vocab_size": 2, "layer_norm_eps": EPS,
          "hidden_act": "gelu", "pad_token_id": 0, "transformers.js_config": {"dtype": "fp32"}}
json.dump(config, open(os.path.join(args.out, "config.json"), "w"), indent=2)

files = {}
for root, _, entries in os.walk(args.out):
    for entry in sorted(entries):
        path = os.path.join(root, entry)
        rel = os.path.relpath(path, args.out)
        if rel != "manifest.json":
            files[rel] = {"bytes": os.path.getsize(path), "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}
params = sum(p.numel() for p in model.parameters())
json.dump({"name": os.path.basename(os.path.normpath(args.out)), "kind": "encoder",
           "architecture": {"type": "bert", "hidden": args.hidden, "layers": args.layers, "heads": args.heads,
                            "intermediate": args.intermediate, "max_positions": args.max_positions,
                            "vocab": vocab_size, "parameters": params},
           "outputs": ["last_hidden_state"],
           "training": {"status": "random-init", "seed": args.seed, "purpose": "benchmark shape only"},
           "recipe": "models/recipes/make_bench_encoder.py", "files": files},
          open(os.path.join(args.out, "manifest.json"), "w"), indent=2)
print(f"wrote {args.out}: {args.layers} layers, hidden {args.hidden}, {params} params, "
      f"onnx {files['onnx/model.onnx']['bytes']} bytes")
