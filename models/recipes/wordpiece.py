#!/usr/bin/python3
"""WordPiece vocabulary learner, encoder and tokenizer.json writer for the project's BERT recipes.

Import it from another recipe (models/recipes/ is on sys.path when a recipe runs from there):

    import wordpiece as wp
    vocab = wp.learn_vocab(texts, added_tokens=["[H01M]", "[H04L]", wp.TECH_SEP], max_size=6000)
    tok = wp.Tokenizer(vocab, added_tokens=[...], special_tokens=wp.SPECIAL + [wp.TECH_SEP])
    ids = tok.encode("Battery anode [SEP] text [SEP] [H01M]")     # [CLS] ... [SEP] ids, as transformers.js
    wp.write_tokenizer(out_dir, tok, model_max_length=128)

The encoder reproduces what transformers.js (@huggingface/tokenizers 0.x, used by transformers.js 3.x/4.x)
does with the tokenizer.json written here:
  1. added tokens are split out of the raw text first (trie, leftmost then longest match, case-sensitive:
     all added tokens are written with normalized=false);
  2. every other piece goes through BertNormalizer(clean_text, handle_chinese_chars, lowercase,
     strip_accents=None -> accents stripped because lowercase is on);
  3. BertPreTokenizer: trim, then split on whitespace, every punctuation character is its own word
     (Unicode category P* or ASCII 0x21-0x2F, 0x3A-0x40, 0x5B-0x60, 0x7B-0x7E);
  4. WordPiece: greedy longest-match-first, `##` continuation prefix; a word longer than 100 characters
     or with any unmatched remainder becomes [UNK] as a whole;
  5. TemplateProcessing: [CLS] A [SEP] (token_type_ids all 0).

The learner is a simple frequency-based one (not the likelihood-based WordPiece trainer): every
character of the corpus as a word-initial piece and as a `##` continuation, whole words seen at least
`min_word_count` times (most frequent first), then the most frequent character n-grams (2..max_piece_len
characters; word-initial `xx` and continuation `##xx`) counted over the words that did not make it into
the vocabulary, until `max_size` is reached.
"""
import json
import os
import unicodedata
from collections import Counter

SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
TECH_SEP = "[TECH_SEP]"
ALWAYS_CHARS = list("abcdefghijklmnopqrstuvwxyz0123456789")
ALWAYS_PUNCT = list(".,;:!?()[]-/'\"%+&*=<>#$@_~^{}|\\`")

# JavaScript's \s (Unicode mode), which transformers.js uses in clean_text and in BertPreTokenizer.
JS_WHITESPACE = set("\t\n\u000b\u000c\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | \
    {chr(c) for c in range(0x2000, 0x200B)}


def code_token(code):
    """Canonical code -> its subclass token: 'H04L 27/26' -> '[H04L]'."""
    return "[" + code.strip()[:4] + "]"


# ---------------- normaliser + pre-tokeniser (transformers.js behaviour) ----------------
def _is_control(ch):
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_chinese(cp):
    # transformers.js walks UTF-16 code units, so only the BMP ranges can ever match.
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF


def is_punctuation(ch):
    cp = ord(ch)
    if 0x21 <= cp <= 0x2F or 0x3A <= cp <= 0x40 or 0x5B <= cp <= 0x60 or 0x7B <= cp <= 0x7E:
        return True
    return unicodedata.category(ch).startswith("P")


def normalise(text):
    """BertNormalizer(clean_text=True, handle_chinese_chars=True, lowercase=True, strip_accents=None)."""
    out = []
    for ch in text:
        cp = ord(ch)
        if cp == 0 or cp == 0xFFFD or _is_control(ch):
            continue
        if ch in JS_WHITESPACE:
            out.append(" ")
        elif _is_chinese(cp):
            out.append(" " + ch + " ")
        else:
            out.append(ch)
    text = "".join(out).lower()
    text = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in text if unicodedata.category(ch) != "Mn")


def pre_tokenise(text):
    """BertPreTokenizer: runs of non-space non-punctuation characters, and single punctuation characters."""
    words, current = [], []
    for ch in text:
        if ch in JS_WHITESPACE:
            if current:
                words.append("".join(current))
                current = []
        elif is_punctuation(ch):
            if current:
                words.append("".join(current))
                current = []
            words.append(ch)
        else:
            current.append(ch)
    if current:
        words.append("".join(current))
    return words


def words_of(text):
    """Normalised, pre-tokenised words of plain text (no added-token handling)."""
    return pre_tokenise(normalise(text or ""))


# ---------------- learner ----------------
def learn_vocab(texts, added_tokens=(), max_size=8000, min_word_count=2, min_piece_count=2, max_piece_len=6,
                word_share=0.8, min_char_count=1):
    """Returns the ordered vocabulary: SPECIAL, characters, ##characters, words, pieces, added tokens.

    max_size counts everything (special and added tokens included). word_share is the share of the free
    slots (after specials, characters and added tokens) that whole words may take; pieces fill the rest
    (and any slots words leave unused).
    """
    word_counts = Counter()
    for text in texts:
        word_counts.update(words_of(text))
    char_counts = Counter()
    for w, c in word_counts.items():
        for ch in w:
            char_counts[ch] += c
    chars = sorted(set(ALWAYS_CHARS) | set(ALWAYS_PUNCT) |
                   {ch for ch, c in char_counts.items() if c >= min_char_count})
    cont = ["##" + ch for ch in chars if not is_punctuation(ch)]   # punctuation is always a word of its own
    added = list(added_tokens)
    vocab = list(SPECIAL)
    seen = set(vocab) | set(added)
    for t in chars + cont:
        if t not in seen:
            vocab.append(t)
            seen.add(t)
    free = max_size - len(vocab) - len(added)
    if free < 0:
        raise ValueError(f"max_size {max_size} is smaller than specials + characters + added tokens")
    words = sorted((w for w, c in word_counts.items() if c >= min_word_count and len(w) > 1 and w not in seen),
                   key=lambda w: (-word_counts[w], w))
    words = words[:int(free * word_share)]
    for w in words:
        vocab.append(w)
        seen.add(w)
    free = max_size - len(vocab) - len(added)
    if free > 0:
        pieces = Counter()
        for w, c in word_counts.items():
            if w in seen or len(w) < 3:
                continue
            for i in range(len(w)):
                for j in range(i + 2, min(len(w), i + max_piece_len) + 1):
                    if i == 0 and j == len(w):
                        continue
                    pieces[w[i:j] if i == 0 else "##" + w[i:j]] += c
        ranked = sorted((p for p, c in pieces.items() if c >= min_piece_count and p not in seen),
                        key=lambda p: (-pieces[p], -len(p), p))
        for p in ranked[:free]:
            vocab.append(p)
            seen.add(p)
    return vocab + [t for t in added if t not in set(vocab)]


# ---------------- encoder ----------------
class Tokenizer:
    """Pure-python twin of transformers.js's BERT WordPiece tokenizer for the tokenizer.json written below."""

    def __init__(self, vocab, added_tokens=(), special_tokens=tuple(SPECIAL) + (TECH_SEP,),
                 max_input_chars_per_word=100):
        self.vocab = list(vocab)
        self.tok2id = {t: i for i, t in enumerate(self.vocab)}
        if len(self.tok2id) != len(self.vocab):
            raise ValueError("duplicate vocabulary entries")
        self.special_tokens = [t for t in special_tokens if t in self.tok2id]
        self.added_tokens = [t for t in self.special_tokens] + [t for t in added_tokens if t not in self.special_tokens]
        for t in self.added_tokens:
            if t not in self.tok2id:
                raise ValueError(f"added token {t} not in vocabulary")
        self.added_set = set(self.added_tokens)
        self.max_chars = max_input_chars_per_word
        self.trie = {}
        for t in self.added_tokens:
            node = self.trie
            for ch in t:
                node = node.setdefault(ch, {})
            node[""] = t
        self.unk_id = self.tok2id["[UNK]"]
        self.cls_id, self.sep_id = self.tok2id["[CLS]"], self.tok2id["[SEP]"]
        self.pad_id, self.mask_id = self.tok2id["[PAD]"], self.tok2id["[MASK]"]
        self._cache = {}

    def split_added(self, text):
        """DictionarySplitter.split: leftmost position, longest added token starting there."""
        out, start, i, n = [], 0, 0, len(text)
        while i < n:
            node, match, j = self.trie, None, i
            while j < n and text[j] in node:
                node = node[text[j]]
                if "" in node:
                    match = node[""]
                j += 1
            if match:
                if i > start:
                    out.append(text[start:i])
                out.append(match)
                i += len(match)
                start = i
            else:
                i += 1
        if start < n:
            out.append(text[start:])
        return out

    def wordpiece(self, word):
        hit = self._cache.get(word)
        if hit is not None:
            return hit
        chars = list(word)
        if len(chars) > self.max_chars:
            return ["[UNK]"]
        pieces, start = [], 0
        while start < len(chars):
            end, found = len(chars), None
            while start < end:
                sub = "".join(chars[start:end])
                if start > 0:
                    sub = "##" + sub
                if sub in self.tok2id:
                    found = sub
                    break
                end -= 1
            if found is None:
                pieces = ["[UNK]"]
                break
            pieces.append(found)
            start = end
        self._cache[word] = pieces
        return pieces

    def tokenize(self, text):
        """Tokens of text without [CLS]/[SEP] (transformers.js `tokenize`)."""
        tokens = []
        for part in self.split_added(text):
            if not part:
                continue
            if part in self.added_set:
                tokens.append(part)
                continue
            for w in pre_tokenise(normalise(part).strip()):
                tokens.extend(self.wordpiece(w))
        return tokens

    def encode(self, text, add_special_tokens=True):
        ids = [self.tok2id[t] for t in self.tokenize(text)]
        return [self.cls_id] + ids + [self.sep_id] if add_special_tokens else ids

    def decode(self, ids):
        return " ".join(self.vocab[i] for i in ids)


# ---------------- tokenizer.json / tokenizer_config.json ----------------
def write_tokenizer(out_dir, tok, model_max_length=128):
    def added(content):
        return {"id": tok.tok2id[content], "content": content, "single_word": False, "lstrip": False,
                "rstrip": False, "normalized": False, "special": content in tok.special_tokens}

    tokenizer = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [added(t) for t in sorted(tok.added_tokens, key=lambda t: tok.tok2id[t])],
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
            "special_tokens": {t: {"id": t, "ids": [tok.tok2id[t]], "tokens": [t]} for t in ["[CLS]", "[SEP]"]},
        },
        "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
                  "max_input_chars_per_word": tok.max_chars, "vocab": tok.tok2id},
    }
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f, ensure_ascii=False)
    extra = [t for t in tok.special_tokens if t not in SPECIAL]
    with open(os.path.join(out_dir, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "BertTokenizer", "do_lower_case": True, "model_max_length": model_max_length,
                   "cls_token": "[CLS]", "sep_token": "[SEP]", "pad_token": "[PAD]", "unk_token": "[UNK]",
                   "mask_token": "[MASK]", "additional_special_tokens": extra,
                   "clean_up_tokenization_spaces": True}, f, indent=2)


def load_tokenizer(model_dir):
    """Rebuilds a Tokenizer from a tokenizer.json written by write_tokenizer."""
    with open(os.path.join(model_dir, "tokenizer.json")) as f:
        tj = json.load(f)
    tok2id = tj["model"]["vocab"]
    vocab = [None] * len(tok2id)
    for t, i in tok2id.items():
        vocab[i] = t
    special = [a["content"] for a in tj["added_tokens"] if a["special"]]
    added = [a["content"] for a in tj["added_tokens"] if not a["special"]]
    return Tokenizer(vocab, added_tokens=added, special_tokens=special,
                     max_input_chars_per_word=tj["model"].get("max_input_chars_per_word", 100))


if __name__ == "__main__":
    import sys
    texts = ["Battery anode with lithium electrolyte", "Batteries, anodes; électrolyte (fast) charging"]
    v = learn_vocab(texts, added_tokens=["[H01M]", TECH_SEP], max_size=200, min_word_count=1)
    t = Tokenizer(v, added_tokens=["[H01M]"])
    for s in sys.argv[1:] or ["Battery anodes [SEP] électrolyte [H01M][H01M] [MASK] h01m [TECH_SEP]"]:
        print(t.tokenize(s), t.encode(s))
