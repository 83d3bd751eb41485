"""TechToken export: ONNX fp32 + q8 + q4, config.json, the tokenizer files, reference.json and manifest.json."""
import os
import sys
import time

import torch
import torch.nn.functional as F

import common
import quantize
import wordpiece as wp
from techtoken_data import code_token, ids_digest
from techtoken_model import load_from_onnx

# Token spellings per level, as the manifest states them (the app reads the spelling from the vocabulary).
TOKEN_FORMATS = {"subclass": "[XXXX]", "main_group": "[XXXXn/00]"}
PROJECT_ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))

REFERENCE_TEXTS = [
    "Battery anode with lithium electrolyte for fast charging",
    "Wireless network handover with packet scheduling",
    "A filter comprising a membrane and a scrubber is disclosed.",
]
REFERENCE_TECHTOKEN = {
    "title": "Battery pack with charging control",
    "abstract": "A lithium battery cell with an anode and a cathode is coupled to a charging circuit "
                "that controls the grid connection.",
    "codes": ["H01M", "H02J"],
}


def export_model(model, tok, cfg, code_tokens, out, dropout, max_len):
    """onnx/model.onnx (its folder emptied first), q8 and q4 by quantize.py, config.json (checked to rebuild the
    torch model the way eval_techtoken.py does), tokenizer.json and tokenizer_config.json."""
    common.clear_onnx(out)
    example = torch.tensor([tok.encode("battery anode [SEP] a cell [SEP] " + code_tokens[0])], dtype=torch.long)
    common.export_bert_onnx(model, example, os.path.join(out, "onnx", "model.onnx"))
    quantize.quantize(out, ["q8", "q4"])
    common.write_json(os.path.join(out, "config.json"),
                      {"architectures": ["BertForMaskedLM"], "model_type": "bert", **cfg, "hidden_act": "gelu",
                       "hidden_dropout_prob": dropout, "attention_probs_dropout_prob": dropout, "pad_token_id": 0,
                       "transformers.js_config": {"dtype": "fp32"}}, indent=2)
    check = load_from_onnx(out)   # the eval script rebuilds the model this way: make sure it round-trips
    with torch.no_grad():
        a = model(example, torch.ones_like(example), torch.zeros_like(example))[1]
        b = check(example, torch.ones_like(example), torch.zeros_like(example))[1]
    assert torch.allclose(a, b, atol=1e-5), "ONNX initializers do not round-trip to the torch model"
    wp.write_tokenizer(out, tok, model_max_length=max_len)


@torch.no_grad()
def write_reference(model, tok, codes, code_tokens, code_ids, train, out, field="subclasses"):
    """reference.json (torch fp32, python tokenizer): mean-pooled embeddings of REFERENCE_TEXTS, the hidden
    states at the code tokens of a fixed input, and the top-5 code tokens with those codes masked. `codes`
    and `code_tokens` are of one level, `field` the patents' codes at that level."""
    def run(ids):
        t = torch.tensor([ids], dtype=torch.long)
        return model(t, torch.ones_like(t), torch.zeros_like(t))

    references = []
    for text in REFERENCE_TEXTS:
        ids = tok.encode(text)
        _, hidden = run(ids)
        references.append({"text": text, "input_ids": ids, "embedding": F.normalize(hidden[0].mean(0), dim=0).tolist()})
    ref_codes = [c for c in REFERENCE_TECHTOKEN["codes"] if c in codes]
    if len(ref_codes) < 2:  # a corpus without H01M/H02J: the two most frequent codes instead
        freq = {}
        for p in train:
            for c in p[field]:
                freq[c] = freq.get(c, 0) + 1
        ref_codes = sorted(sorted(freq, key=lambda c: (-freq[c], c))[:2])
    ref_tokens = [code_token(c) for c in ref_codes]
    head = f"{REFERENCE_TECHTOKEN['title']} [SEP] {REFERENCE_TECHTOKEN['abstract']} [SEP] "
    tt_text = head + " ".join(ref_tokens)
    tt_ids = tok.encode(tt_text)
    positions = [i for i, t in enumerate(tt_ids) if t in set(code_ids)]
    _, hidden = run(tt_ids)
    techtoken = {"text": tt_text, "input_ids": tt_ids, "code_tokens": ref_tokens, "positions": positions,
                 "hidden_states": [F.normalize(hidden[0, i], dim=0).tolist() for i in positions]}
    m_text = head + " ".join("[MASK]" for _ in ref_tokens)
    m_ids = tok.encode(m_text)
    m_pos = [i for i, t in enumerate(m_ids) if t == tok.mask_id]
    logits, _ = run(m_ids)
    row = logits[0, m_pos[0], code_ids]
    top = torch.topk(row, 5)
    masked = {"text": m_text, "input_ids": m_ids, "mask_positions": m_pos, "restricted_to": "code tokens",
              "top5": [{"token": code_tokens[j], "id": code_ids[j], "logit": row[j].item()} for j in top.indices.tolist()]}
    common.write_json(os.path.join(out, "reference.json"),
                      {"pooling": "mean", "normalize": True, "dtype": "fp32", "token_type_ids": "zeros",
                       "references": references, "techtoken": techtoken, "masked": masked,
                       "tolerance": {"fp32": 0.9999, "q8": 0.99, "q4": 0.98}})


def held_out_record(corpus, held, seed):
    """How the held-out split is named in the manifest. A corpus inside the project (the demo) gets its
    held-out ids listed; any other corpus (real patents, which never enter the project) gets the file's
    sha256, the derivation and a digest of the ids instead, so the split can be recomputed and checked
    (eval_techtoken.py does) without the manifest carrying a list of those patents."""
    ids = [p["id"] for p in held]
    inside = os.path.abspath(corpus).startswith(PROJECT_ROOT + os.sep)
    record = {"held_out_derivation": f"pool = patents with year <= until_year; its ids sorted, shuffled with "
                                     f"random.Random({seed}), the first round(10 %) held out "
                                     f"(models/recipes/techtoken_data.py split_patents)",
              "held_out_ids_sha256": ids_digest(ids)}
    if inside:
        record["held_out_ids"] = sorted(ids)
    else:
        record["corpus_sha256"] = common.sha256(corpus)
    return record


def write_manifest(out, args, run, evaluation, log):
    """manifest.json. `run`: vocab, params, code_tokens, patents, pool, train, held, s1, s2, train_seconds, t_start."""
    files = common.file_table(out)
    strip = lambda s: {k: v for k, v in s.items() if k != "history"}
    s1, s2 = run["s1"], run["s2"]
    manifest = {
        "name": os.path.basename(os.path.normpath(out)),
        "kind": "techtoken-encoder",
        "architecture": {"type": "bert", "hidden": args.hidden, "layers": args.layers, "heads": args.heads,
                         "intermediate": args.intermediate, "max_positions": args.max_len, "vocab": len(run["vocab"]),
                         "parameters": run["params"], "tied_decoder": True},
        "outputs": ["logits", "last_hidden_state"],
        "code_level": ",".join(run["levels"]),
        "code_token_format": " ".join(TOKEN_FORMATS[lv] for lv in run["levels"]),
        "code_levels": run["levels"],
        "code_tokens": run["code_tokens"],
        "separator_token": "[SEP]",
        "reserved_tokens": {wp.TECH_SEP: "in the vocabulary (special), not used in training"},
        "input_template": "[CLS] {title} [SEP] {abstract} [SEP] {code tokens, sorted, space-separated} [SEP]",
        "tokenizer_text_template": "{title} [SEP] {abstract} [SEP] {code tokens}",
        "no_abstract_template": "[CLS] {title} [SEP] {code tokens} [SEP]",
        "text_only_template": "[CLS] {title} [SEP] {abstract} [SEP]",
        "code_embedding": "hidden state at the code token's position, averaged over the patents carrying the code",
        "training": {
            "status": "trained", "recipe": "models/recipes/make_techtoken.py",
            "command": "/usr/bin/python3 " + " ".join(sys.argv), "seed": args.seed, "threads": args.threads,
            "corpus": args.corpus, "patents_in_corpus": len(run["patents"]), "until_year": args.until_year,
            "pool_patents": len(run["pool"]), "train_patents": len(run["train"]), "held_out_patents": len(run["held"]),
            **held_out_record(args.corpus, run["held"], args.seed),
            "vocabulary": "WordPiece learned from the pool's titles and abstracts (models/recipes/wordpiece.py); "
                          "code tokens = the pool's codes at " + " and ".join(run["levels"]) + " level",
            "batch": args.batch, "max_len": args.max_len, "lr": args.lr, "dropout": args.dropout,
            "weight_decay": args.weight_decay, "minutes_budget": args.minutes,
            "stage1": {"task": "text MLM 15 % (80/10/10)", **strip(s1)},
            "stage2": {"task": "TechToken: masked code tokens + 15 % text MLM, 20 % text-only", **strip(s2)},
            "train_seconds": run["train_seconds"],
            "loss_history": {"stage1": s1["history"], "stage2": s2["history"]},
        },
        "evaluation": evaluation,
        "variants": {"fp32": "onnx/model.onnx", "q8": "onnx/model_quantized.onnx", "q4": "onnx/model_q4.onnx"},
        "reference": "reference.json: fp32 torch outputs; transformers.js must reach cosine >= 0.9999 (fp32), "
                     ">= 0.99 (q8), >= 0.98 (q4)",
        "files": files,
    }
    common.write_json(os.path.join(out, "manifest.json"), manifest, indent=2)
    big = common.oversized(files)
    log(f"wrote {out}: vocab {len(run['vocab'])}, {run['params']} params, total {time.time() - run['t_start']:.0f}s; " +
        ", ".join(f"{k} {v['bytes']}" for k, v in files.items() if k.startswith("onnx/")))
    if big:
        log(f"WARNING: files over 10 MB: {big}")
