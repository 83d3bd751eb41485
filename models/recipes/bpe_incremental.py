"""The byte-level BPE training of bpe.train (same merges, same tie-break on the pair itself), with
incremental pair counts: bpe.train recounts every pair of every word after each merge, which is fine for
the demo's 1k-token vocabulary but takes hours for a few thousand merges over the BREF texts. Here only
the words that hold the merged pair are touched, and the best pair comes from a lazy heap.

`python3 bpe_incremental.py` checks that both trainers agree on a small corpus."""
import collections
import heapq

import bpe as bpe_lib


def train(texts, vocab_size, specials, required=(), min_frequency=2):
    """Drop-in for bpe.train: (vocab + specials, merges)."""
    counts = collections.Counter()
    for text in texts:
        if not text.isascii():
            raise ValueError(f"non-ASCII training text: {text[:80]!r}")
        counts.update(bpe_lib.pretokenize(text))
    words = [list(bpe_lib.to_unicode(w)) for w in counts]
    freq = list(counts.values())
    pairs = collections.Counter()
    where = collections.defaultdict(set)          # pair -> indices of the words holding it
    for i, sym in enumerate(words):
        for a, b in zip(sym, sym[1:]):
            pairs[(a, b)] += freq[i]
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pairs.items()]
    heapq.heapify(heap)
    vocab = [bpe_lib.B2U[b] for b in range(256)]
    known = set(vocab)
    merges = []
    budget = vocab_size - len(specials)
    while len(vocab) < budget and heap:
        neg, pair = heapq.heappop(heap)
        if pairs.get(pair, 0) != -neg:            # stale entry
            continue
        if -neg < min_frequency:
            break
        a, b = pair
        merged = a + b
        merges.append(pair)
        if merged not in known:
            vocab.append(merged)
            known.add(merged)
        changed = set()
        for i in list(where[pair]):
            sym, f = words[i], freq[i]
            for x, y in zip(sym, sym[1:]):        # remove this word's old pairs
                pairs[(x, y)] -= f
                changed.add((x, y))
            new = bpe_lib._merge(tuple(sym), a, b, merged)
            words[i] = list(new)
            for x, y in zip(new, new[1:]):
                pairs[(x, y)] += f
                where[(x, y)].add(i)
                changed.add((x, y))
        del where[pair]
        pairs.pop(pair, None)
        for p in changed:
            c = pairs.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p))
            elif p in pairs:
                del pairs[p]
    # the required words as single tokens: merge the pieces they still split into (bpe.train's letter chain
    # can miss when an earlier merge, e.g. "es", splits the word differently; then it stays two tokens)
    for word in required:
        while True:
            ids = bpe_lib.BPE(vocab + list(specials), merges, specials).encode_word(word)
            if len(ids) == 1:
                break
            a, b = vocab[ids[0]], vocab[ids[1]]
            merges.append((a, b))
            if a + b not in known:
                vocab.append(a + b)
                known.add(a + b)
    return vocab + list(specials), merges


if __name__ == "__main__":
    texts = ["Fabric filters remove dust from flue gas; wet scrubbers remove SO2 and HCl.",
             "Selective catalytic reduction of NOx with ammonia over a catalyst at 300 C.",
             "The filter bags are cleaned by pulse jet; the dust falls into the hopper."] * 3
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    ref = bpe_lib.train(texts, 330, specials, required=["Yes", "No"])
    new = train(texts, 330, specials, required=["Yes", "No"])
    assert ref == new, "incremental BPE differs from bpe.train"
    print(f"same {len(new[1])} merges as bpe.train")
