"""The BERT-style encoders (post-LN, GELU, tied decoder): TechTokenBert (make_techtoken.py) and the
transformer layer it shares with the walking-skeleton encoder (make_encoder.py)."""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG_KEYS = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size",
               "max_position_embeddings", "type_vocab_size", "layer_norm_eps")


class Linear(nn.Module):
    """Weight stored [in, out], so that the ONNX MatMul keeps the parameter's name (eval_techtoken.py rebuilds
    the model from the ONNX initializers)."""

    def __init__(self, n_in, n_out):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * 0.02)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return x @ self.weight + self.bias


class Layer(nn.Module):
    """Post-LN transformer layer. `linear` makes the projections (Linear above, or torch's nn.Linear for the
    walking-skeleton encoder, whose random weights come from nn.Linear's initialisation)."""

    def __init__(self, hidden, heads, intermediate, eps, dropout=0.0, linear=Linear):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q, self.k, self.v, self.o = (linear(hidden, hidden) for _ in range(4))
        self.ln1 = nn.LayerNorm(hidden, eps=eps)
        self.fc1, self.fc2 = linear(hidden, intermediate), linear(intermediate, hidden)
        self.ln2 = nn.LayerNorm(hidden, eps=eps)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        b, t, h = x.shape
        split = lambda y: y.view(b, t, self.heads, self.head_dim).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        y = (self.drop(att.softmax(-1)) @ v).transpose(1, 2).reshape(b, t, h)
        x = self.ln1(x + self.drop(self.o(y)))
        return self.ln2(x + self.drop(self.fc2(F.gelu(self.fc1(x)))))


def attention_bias(attention_mask, dtype):
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * -10000.0


class TechTokenBert(nn.Module):
    def __init__(self, c, dropout=0.1):
        super().__init__()
        h, eps = c["hidden_size"], c["layer_norm_eps"]
        self.wte = nn.Embedding(c["vocab_size"], h)
        self.wpe = nn.Embedding(c["max_position_embeddings"], h)
        self.tte = nn.Embedding(c["type_vocab_size"], h)
        for e in (self.wte, self.wpe, self.tte):
            nn.init.normal_(e.weight, std=0.02)
        self.ln = nn.LayerNorm(h, eps=eps)
        self.drop = nn.Dropout(dropout)
        self.layers = nn.ModuleList(Layer(h, c["num_attention_heads"], c["intermediate_size"], eps, dropout)
                                    for _ in range(c["num_hidden_layers"]))
        self.head_dense = Linear(h, h)
        self.head_ln = nn.LayerNorm(h, eps=eps)
        self.head_bias = nn.Parameter(torch.zeros(c["vocab_size"]))

    def encode(self, input_ids, attention_mask, token_type_ids):
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0)
        x = self.drop(self.ln(self.wte(input_ids) + self.wpe(positions) + self.tte(token_type_ids)))
        bias = attention_bias(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        return x

    def head(self, x):
        return self.head_ln(F.gelu(self.head_dense(x))) @ self.wte.weight.t() + self.head_bias  # tied decoder

    def forward(self, input_ids, attention_mask, token_type_ids):
        x = self.encode(input_ids, attention_mask, token_type_ids)
        return self.head(x), x


def model_config(vocab_size, hidden, layers, heads, intermediate, max_len):
    return dict(vocab_size=vocab_size, hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=heads,
                intermediate_size=intermediate, max_position_embeddings=max_len, type_vocab_size=2,
                layer_norm_eps=1e-12)


def load_from_onnx(model_dir):
    """Rebuilds the torch model from onnx/model.onnx (initializer names = parameter names) + config.json."""
    import onnx
    from onnx import numpy_helper
    cfg = json.load(open(os.path.join(model_dir, "config.json")))
    model = TechTokenBert({k: cfg[k] for k in CONFIG_KEYS}, dropout=0.0)
    graph = onnx.load(os.path.join(model_dir, "onnx", "model.onnx")).graph
    inits = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    model.load_state_dict({k: torch.from_numpy(inits[k].copy()) for k in model.state_dict()})
    return model.eval()
