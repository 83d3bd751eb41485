"""BREF matcher export: reference.json from self-written prompts (real section TITLES only: no patent or
BREF text enters the repository) and manifest.json. The ONNX graph, configs and tokenizer files are
written by llama_export (same layout and interface as ps-llama-yesno-tiny)."""
import os
import time

import common
import llama_eval
import llama_export
from llama_data import SPECIALS, YESNO_SYSTEM, YESNO_USER

# (label, section id whose TITLE is used, self-written process text, self-written patent title, abstract)
REFERENCE_PAIRS = [
    ("written relevant", "Bag filter pulse jet cleaning of filter bags removes the dust cake collected from the flue "
     "gas; the clean gas leaves through the bag.", "Filter bag cleaning device",
     "A pulse of compressed air cleans the filter bags of a dust collector so that the pressure drop stays low."),
    ("written not relevant", "Wet scrubbing of waste gas with an alkaline liquid absorbs acid gases such as HCl "
     "and SO2.", "Seat belt buckle for a vehicle",
     "A buckle with a spring latch holds the tongue of a seat belt and releases it when a button is pressed."),
    ("written relevant 2", "Biological treatment of waste water with activated sludge degrades organic "
     "compounds and lowers the COD.", "Aeration of an activated sludge basin",
     "Air is blown through diffusers at the bottom of a basin so that the bacteria of the sludge degrade the "
     "organic load of the waste water."),
]


def reference_prompts(d):
    """The seed's prompt on self-written pairs, each with the title of a real section that fits it."""
    keys = [("fabric filter", "bag filter"), ("scrubb",), ("activated sludge", "biological")]
    out = []
    for (name, text, ptitle, abstract), words in zip(REFERENCE_PAIRS, keys):
        sec = next((s for s in d.sections if any(w in (s.get("title") or "").lower() for w in words)), d.sections[0])
        t = {"id": sec["id"], "sectionTitle": sec["title"], "description": text}
        p = {"id": f"WRITTEN-{len(out) + 1}", "title": ptitle, "abstract": abstract}
        out.append((name, t, p))
    relevant = {t["id"]: set() for _, t, _ in out}
    for name, t, p in out:
        if "not" not in name:
            relevant[t["id"]].add(p["id"])
    return out, relevant


def write_reference(model, k, d, out):
    from llama_data import yesno_prompt
    prompts, relevant = reference_prompts(d)
    refs, gen = llama_export.reference(model, k, relevant, [(n, t, p, yesno_prompt(t, p)) for n, t, p in prompts],
                                       "Is a fabric filter useful against dust?")
    llama_export.add_q4_p_yes(refs, llama_eval.q4_emulated(model), k)
    llama_export.write_reference(out, k, refs, gen)
    return refs


def write_manifest(out, r):
    """manifest.json from the run namespace r (args, cfg, k, d, docs_counts, stream, n_params, s1, s2,
    merge_diff, ev, refs, t_start)."""
    args, cfg, k, d = r.args, r.cfg, r.k, r.d
    files = common.file_table(out)
    big = common.oversized(files)
    assert not big, big
    manifest = {
        "name": os.path.basename(os.path.normpath(out)),
        "kind": "yesno-decoder",
        "architecture": {"type": "llama", **cfg, "parameters": r.n_params, "tied_lm_head": True,
                         "norm": "RMSNorm", "mlp": "SwiGLU", "position": "RoPE",
                         "attention": f"grouped-query ({cfg['num_attention_heads']} query / "
                                      f"{cfg['num_key_value_heads']} kv heads)"},
        "tokenizer": {"type": "byte-level BPE", "vocab": k.V, "merges": len(k.merges), "specials": SPECIALS,
                      "learned_from": "the stage-1 documents (BREF section texts and headings, training patents), "
                                      "ASCII-folded",
                      "chat_template": "ChatML", "yes_id": k.YES, "no_id": k.NO, "eos_id": k.IM_END},
        "prompt": {"system": YESNO_SYSTEM, "user_template": YESNO_USER,
                   "placeholders": ["section_title", "technique", "patent_title", "patent_abstract"],
                   "answer_tokens": ["Yes", "No"],
                   "fields": {"section_title": "the section's title", "technique": "the section's text, cut to the "
                              "context as YesNoEngine.fitPrompt cuts it", "patent_title": "the patent's title",
                              "patent_abstract": "the patent's abstract"},
                   "score": "P(Yes) = softmax over the Yes and No logits at the last prompt position "
                            "(prompt rendered with the chat template and add_generation_prompt)"},
        "training": {
            "status": "trained", "seed": args.seed, "threads": args.threads,
            "corpus": "../shared/data/patents_ep_pollution.jsonl", "until_year": d.until_year,
            "data": {"patents": "../shared/data/patents_ep_pollution.jsonl", "sections": "../shared/data/bref.jsonl",
                     "patents_total": len(d.patents), "training_patents": len(d.train_all),
                     "training_patents_with_reference": len(d.train_pos), "eval_patents": len(d.eval_patents),
                     "sections_total": len(d.sections_all), "sections_with_text": len(d.sections),
                     "stage1_documents": r.docs_counts, "stage1_tokens": len(r.stream),
                     "stage2_pairs": r.pair_counts},
            "stage1": {"objective": "next-token prediction (domain adaptation) on the BREF section texts, the "
                                    "titles/paths of all sections and the training patents' titles+abstracts",
                       "optimizer": "AdamW lr 3e-3 warm-up + cosine, all weights", **r.s1},
            "stage2": {"objective": "Yes/No instruction tuning: cross-entropy of the answer token at the last "
                                    "prompt position, classes weighted alike; prompts fitted to the context as the "
                                    "app fits them", **r.s2},
            "merge_max_logit_difference": r.merge_diff,
            "wall_seconds": round(time.time() - r.t_start, 1),
        },
        "eval_patents_rule": d.held_rule,
        "eval_patents": sorted(p["id"] for p in d.eval_patents),
        "evaluation": {"where": "held-out eval_patents, among the sections with text, reference = the first of "
                                "bref_sections; fp32 torch", **r.ev},
        "variants": {"fp32": "onnx/model.onnx"} | ({} if args.no_quantize else {"q4": "onnx/model_q4.onnx"}),
        "files": files,
    }
    common.write_json(os.path.join(out, "manifest.json"), manifest, indent=1)
