"""Byte-level BPE (GPT-2 style) learned from the project's own text, written in the Hugging Face
`tokenizers` JSON schema that transformers.js loads (`tokenizer.json` + `tokenizer_config.json`).

The pre-tokeniser is the GPT-2 pattern transformers.js applies for a ByteLevel pre-tokenizer with
use_regex=true:  's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+
Python's `re` has no \\p{..}; the classes below are equal to it on ASCII text, and `train` refuses
anything else so that Python and JavaScript always split the same way.
"""
import collections
import json
import os
import re

PATTERN = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def bytes_to_unicode():
    """GPT-2's reversible byte -> printable unicode character map."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


B2U = bytes_to_unicode()
U2B = {u: b for b, u in B2U.items()}


def to_unicode(piece):
    return "".join(B2U[b] for b in piece.encode("utf-8"))


def pretokenize(text):
    return PATTERN.findall(text)


def train(texts, vocab_size, specials, required=(), min_frequency=2):
    """Learns merges until the vocabulary (256 bytes + merges + specials) reaches vocab_size or no
    pair occurs min_frequency times. Ties break on the pair itself, so the result is deterministic.
    `required` words (e.g. "Yes", "No") are then made single tokens if they are not already."""
    counts = collections.Counter()
    for text in texts:
        if not text.isascii():
            raise ValueError(f"non-ASCII training text: {text[:80]!r}")
        counts.update(pretokenize(text))
    words = {tuple(to_unicode(w)): c for w, c in counts.items()}
    vocab = [B2U[b] for b in range(256)]
    known = set(vocab)
    merges = []
    budget = vocab_size - len(specials)
    while len(vocab) < budget:
        pairs = collections.Counter()
        for symbols, c in words.items():
            for a, b in zip(symbols, symbols[1:]):
                pairs[(a, b)] += c
        if not pairs:
            break
        (a, b), c = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if c < min_frequency:
            break
        merged = a + b
        merges.append((a, b))
        if merged not in known:
            vocab.append(merged)
            known.add(merged)
        words = {_merge(symbols, a, b, merged): c for symbols, c in words.items()}
    for word in required:
        symbols = tuple(to_unicode(word))
        bpe = BPE(vocab, merges, specials)
        if len(bpe.encode_word(word)) == 1:
            continue
        cur = symbols[0]
        for ch in symbols[1:]:
            nxt = cur + ch
            if nxt not in known:
                merges.append((cur, ch))
                vocab.append(nxt)
                known.add(nxt)
            cur = nxt
    return vocab + list(specials), merges


def _merge(symbols, a, b, merged):
    out = []
    i = 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(merged)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return tuple(out)


class BPE:
    """Encoder equal to tokenizers' BPE model (merges applied by rank) with special tokens split first."""

    def __init__(self, vocab, merges, specials):
        self.vocab = list(vocab)
        self.tok2id = {t: i for i, t in enumerate(self.vocab)}
        self.ranks = {tuple(m): r for r, m in enumerate(merges)}
        self.merges = [tuple(m) for m in merges]
        self.specials = list(specials)
        self._split = re.compile("(" + "|".join(re.escape(s) for s in self.specials) + ")") if specials else None
        self._cache = {}

    def encode_word(self, piece):
        if piece in self._cache:
            return self._cache[piece]
        symbols = list(to_unicode(piece))
        while len(symbols) > 1:
            best, best_rank = None, None
            for i in range(len(symbols) - 1):
                r = self.ranks.get((symbols[i], symbols[i + 1]))
                if r is not None and (best_rank is None or r < best_rank):
                    best, best_rank = i, r
            if best is None:
                break
            a, b = symbols[best], symbols[best + 1]
            out, i = [], 0
            while i < len(symbols):   # merge every occurrence of this pair, left to right
                if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(symbols[i])
                    i += 1
            symbols = out
        ids = [self.tok2id[s] for s in symbols]
        self._cache[piece] = ids
        return ids

    def encode(self, text):
        ids = []
        parts = self._split.split(text) if self._split else [text]
        for part in parts:
            if not part:
                continue
            if part in self.specials:
                ids.append(self.tok2id[part])
                continue
            for piece in pretokenize(part):
                ids.extend(self.encode_word(piece))
        return ids

    def decode(self, ids):
        out, buf = [], []
        for i in ids:
            t = self.vocab[i]
            if t in self.specials:
                if buf:
                    out.append(bytes(buf).decode("utf-8", errors="replace"))
                    buf = []
                out.append(t)
            else:
                buf.extend(U2B[c] for c in t)
        if buf:
            out.append(bytes(buf).decode("utf-8", errors="replace"))
        return "".join(out)


def write_files(directory, bpe, chat_template, bos, eos, pad, model_max_length):
    """tokenizer.json (tokenizers schema: ByteLevel pre-tokenizer/decoder, BPE model, added special
    tokens) and tokenizer_config.json (PreTrainedTokenizerFast, ChatML template)."""
    added = [{"id": bpe.tok2id[t], "content": t, "single_word": False, "lstrip": False, "rstrip": False,
              "normalized": False, "special": True} for t in bpe.specials]
    tj = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added,
          "normalizer": None,
          "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
          "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
          "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
          "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                    "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                    "vocab": bpe.tok2id, "merges": [f"{a} {b}" for a, b in bpe.merges]}}
    with open(os.path.join(directory, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tj, f, ensure_ascii=False, indent=1)
        f.write("\n")
    tc = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": bos, "eos_token": eos,
          "pad_token": pad, "unk_token": pad, "model_max_length": model_max_length,
          "chat_template": chat_template, "clean_up_tokenization_spaces": False,
          "add_bos_token": False, "add_eos_token": False}
    with open(os.path.join(directory, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(tc, f, indent=2)
        f.write("\n")
