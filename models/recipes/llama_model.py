"""The Llama-style decoder (RMSNorm, RoPE, grouped-query attention, SwiGLU, tied lm_head) in the
transformers.js decoder layout with the KV cache, and the LoRA adapters of stage 2."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

LINEARS = ["q", "k", "v", "o", "gate", "up", "down"]
LORA_R, LORA_ALPHA = 8, 16


def make_config(vocab_size):
    return dict(vocab_size=vocab_size, hidden_size=128, intermediate_size=352, num_hidden_layers=4,
                num_attention_heads=4, num_key_value_heads=2, head_dim=32, rms_norm_eps=1e-6,
                rope_theta=10000.0, max_position_embeddings=512)


class RMSNorm(nn.Module):
    def __init__(s, hidden, eps):
        super().__init__()
        s.weight = nn.Parameter(torch.ones(hidden))
        s.eps = eps

    def forward(s, x):
        return s.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + s.eps))


def rotate_half(x):
    h = x.shape[-1] // 2
    return torch.cat([-x[..., h:], x[..., :h]], -1)


class Block(nn.Module):
    def __init__(s, c):
        super().__init__()
        H = c["hidden_size"]
        s.nh, s.kvh, s.hd = c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]
        s.q = nn.Linear(H, s.nh * s.hd, bias=False)
        s.k = nn.Linear(H, s.kvh * s.hd, bias=False)
        s.v = nn.Linear(H, s.kvh * s.hd, bias=False)
        s.o = nn.Linear(s.nh * s.hd, H, bias=False)
        s.gate = nn.Linear(H, c["intermediate_size"], bias=False)
        s.up = nn.Linear(H, c["intermediate_size"], bias=False)
        s.down = nn.Linear(c["intermediate_size"], H, bias=False)
        s.n1, s.n2 = RMSNorm(H, c["rms_norm_eps"]), RMSNorm(H, c["rms_norm_eps"])

    def forward(s, x, cos, sin, mask_bias, pk, pv):
        B, T, _ = x.shape
        h = s.n1(x)
        q = s.q(h).view(B, T, s.nh, s.hd).transpose(1, 2)
        k = s.k(h).view(B, T, s.kvh, s.hd).transpose(1, 2)
        v = s.v(h).view(B, T, s.kvh, s.hd).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        if pk is not None:
            k, v = torch.cat([pk, k], 2), torch.cat([pv, v], 2)
        present = (k, v)
        S, rep = k.shape[2], s.nh // s.kvh
        kk = k[:, :, None].expand(B, s.kvh, rep, S, s.hd).reshape(B, s.nh, S, s.hd)
        vv = v[:, :, None].expand(B, s.kvh, rep, S, s.hd).reshape(B, s.nh, S, s.hd)
        att = (q @ kk.transpose(-1, -2)) / math.sqrt(s.hd) + mask_bias
        y = (att.softmax(-1) @ vv).transpose(1, 2).reshape(B, T, s.nh * s.hd)
        x = x + s.o(y)
        h2 = s.n2(x)
        return x + s.down(F.silu(s.gate(h2)) * s.up(h2)), present


class Llama(nn.Module):
    """forward(input_ids, attention_mask, position_ids, *past) -> logits, present.{i}.key, present.{i}.value, ...
    (the transformers.js decoder layout; attention_mask covers past + new tokens)."""

    def __init__(s, c):
        super().__init__()
        s.c = c
        s.emb = nn.Embedding(c["vocab_size"], c["hidden_size"])
        s.blocks = nn.ModuleList(Block(c) for _ in range(c["num_hidden_layers"]))
        s.norm = RMSNorm(c["hidden_size"], c["rms_norm_eps"])
        inv = 1.0 / (c["rope_theta"] ** (torch.arange(0, c["head_dim"], 2).float() / c["head_dim"]))
        s.register_buffer("inv_freq", inv, persistent=False)
        s.lm_weight = None      # set only to emulate a separately quantised lm_head
        with torch.no_grad():
            for p in s.parameters():
                if p.dim() == 2:
                    p.normal_(0.0, 0.02)

    def hidden(s, input_ids, attention_mask, position_ids, past=None):
        B, T = input_ids.shape
        x = s.emb(input_ids)
        fr = position_ids[..., None].float() * s.inv_freq
        e = torch.cat([fr, fr], -1)[:, None]
        cos, sin = e.cos(), e.sin()
        S = attention_mask.shape[1]
        q_pos = torch.arange(T)[:, None] + (S - T)
        causal = torch.arange(S)[None, :] <= q_pos
        allowed = causal[None, None] & (attention_mask[:, None, None, :] > 0)
        mask_bias = (~allowed).float() * -1e9
        presents = []
        for i, b in enumerate(s.blocks):
            pk, pv = (past[2 * i], past[2 * i + 1]) if past else (None, None)
            x, pr = b(x, cos, sin, mask_bias, pk, pv)
            presents += list(pr)
        return s.norm(x), presents

    def project(s, h):
        return h @ (s.emb.weight if s.lm_weight is None else s.lm_weight).t()   # tied lm_head

    def forward(s, input_ids, attention_mask, position_ids, *past):
        h, presents = s.hidden(input_ids, attention_mask, position_ids, list(past) if past else None)
        return (s.project(h), *presents)


def full_logits(m, ids):
    """No-cache recompute of one sequence: logits [T, V]."""
    t = torch.tensor([ids])
    return m(t, torch.ones_like(t), torch.arange(len(ids))[None])[0][0]


class LoRA(nn.Module):
    def __init__(s, base, r, alpha):
        super().__init__()
        s.base, s.scale = base, alpha / r
        s.A = nn.Parameter(torch.randn(r, base.in_features) / math.sqrt(base.in_features))
        s.B = nn.Parameter(torch.zeros(base.out_features, r))

    def forward(s, x):
        return s.base(x) + s.scale * ((x @ s.A.t()) @ s.B.t())

    def merged(s):
        with torch.no_grad():
            s.base.weight += s.scale * (s.B @ s.A)
        return s.base


def add_lora(model, r=LORA_R, alpha=LORA_ALPHA):
    """Freezes the model and wraps every attention and MLP linear in a LoRA; returns the trainable parameters."""
    for p in model.parameters():
        p.requires_grad_(False)
    for b in model.blocks:
        for n in LINEARS:
            setattr(b, n, LoRA(getattr(b, n), r, alpha))
    return [p for b in model.blocks for n in LINEARS for p in (getattr(b, n).A, getattr(b, n).B)]


def merge_lora(model):
    """W <- W + (alpha/r) B A in every LoRA linear, which becomes a plain nn.Linear again."""
    for b in model.blocks:
        for n in LINEARS:
            setattr(b, n, getattr(b, n).merged())
