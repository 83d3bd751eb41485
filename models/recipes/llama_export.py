"""Llama export: ONNX with the KV cache (transformers.js decoder layout), config and tokenizer files,
reference.json (fixed held-out prompts and one greedy chat generation) and manifest.json."""
import math
import os
import time

import torch

import bpe as bpe_lib
import common
from llama_data import (CHAT_SYSTEM, CHAT_TEMPLATE, SPECIALS, YESNO_SYSTEM, YESNO_USER, render_chat, yesno_prompt,
                        yesno_user)
from llama_model import LORA_ALPHA, LORA_R, full_logits


def export_onnx(m, cfg, k, d):
    L, kvh, hd = cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"]
    os.makedirs(os.path.join(d, "onnx"), exist_ok=True)
    m.eval()
    ids = torch.tensor([[k.YES, k.NO, k.IM_END]])
    past_len = 2
    am = torch.ones(1, past_len + ids.shape[1], dtype=torch.long)
    pos = torch.arange(past_len, past_len + ids.shape[1])[None]
    inames, onames = ["input_ids", "attention_mask", "position_ids"], ["logits"]
    dyn = {"input_ids": {0: "batch_size", 1: "sequence_length"},
           "attention_mask": {0: "batch_size", 1: "total_sequence_length"},
           "position_ids": {0: "batch_size", 1: "sequence_length"},
           "logits": {0: "batch_size", 1: "sequence_length"}}
    past = tuple(torch.randn(1, kvh, past_len, hd) for _ in range(2 * L))
    for i in range(L):
        for kv in ("key", "value"):
            inames.append(f"past_key_values.{i}.{kv}")
            onames.append(f"present.{i}.{kv}")
            dyn[f"past_key_values.{i}.{kv}"] = {0: "batch_size", 2: "past_sequence_length"}
            dyn[f"present.{i}.{kv}"] = {0: "batch_size", 2: "total_sequence_length"}
    with torch.no_grad():
        torch.onnx.export(m, (ids, am, pos, *past), os.path.join(d, "onnx", "model.onnx"),
                          input_names=inames, output_names=onames, dynamic_axes=dyn,
                          opset_version=14, do_constant_folding=True)


def write_configs(cfg, k, d):
    c = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", **cfg, "hidden_act": "silu",
         "attention_bias": False, "mlp_bias": False, "tie_word_embeddings": True,
         "bos_token_id": k.IM_START, "eos_token_id": k.IM_END, "pad_token_id": k.EOT, "use_cache": True,
         "torch_dtype": "float32", "transformers.js_config": {"dtype": "fp32"}}
    common.write_json(os.path.join(d, "config.json"), c, indent=2)
    gc = {"bos_token_id": k.IM_START, "eos_token_id": k.IM_END, "pad_token_id": k.EOT,
          "do_sample": False, "max_new_tokens": 32}
    common.write_json(os.path.join(d, "generation_config.json"), gc, indent=2)
    bpe_lib.write_files(d, k.tok, CHAT_TEMPLATE, bos="<|im_start|>", eos="<|im_end|>", pad="<|endoftext|>",
                        model_max_length=cfg["max_position_embeddings"])


def reference_prompts(d):
    """Fixed held-out pairs: the first relevant, the first not relevant, the last relevant."""
    tests, techs, relevant = d.test_patents, d.techniques, d.relevant
    first_pos = next((t, p) for p in tests for t in techs if p["id"] in relevant[t["id"]])
    first_neg = next((t, p) for p in tests for t in techs if p["id"] not in relevant[t["id"]])
    second_pos = next((t, p) for p in reversed(tests) for t in reversed(techs) if p["id"] in relevant[t["id"]])
    return [(n, t, p, yesno_prompt(t, p)) for n, (t, p) in
            (("held-out relevant", first_pos), ("held-out not relevant", first_neg), ("held-out relevant 2", second_pos))]


def reference(m, k, relevant, prompts, question):
    refs = []
    with torch.no_grad():
        m.eval()
        for name, t, p, text in prompts:
            ids = k.tok.encode(text)
            lg = full_logits(m, ids)[-1]
            y, n = lg[k.YES].item(), lg[k.NO].item()
            refs.append({"name": name, "technique": t["id"], "patent": p["id"],
                         "label": "Yes" if p["id"] in relevant[t["id"]] else "No",
                         "messages": [{"role": "system", "content": YESNO_SYSTEM},
                                      {"role": "user", "content": yesno_user(t, p)}],
                         "text": text, "input_ids": ids, "yes_logit": y, "no_logit": n,
                         "p_yes": 1 / (1 + math.exp(n - y))})
        messages = [{"role": "system", "content": CHAT_SYSTEM}, {"role": "user", "content": question}]
        text = render_chat(messages)
        seq = k.tok.encode(text)
        start = len(seq)
        for _ in range(20):
            nxt = int(full_logits(m, seq)[-1].argmax())
            seq.append(nxt)
            if nxt == k.IM_END:
                break
        gen = {"messages": messages, "text": text, "input_ids": seq[:start], "max_new_tokens": 20,
               "generated_ids": seq[start:], "generated_text": k.tok.decode(seq[start:])}
    return refs, gen


def add_q4_p_yes(refs, q4m, k):
    with torch.no_grad():
        for r_ in refs:
            lg = full_logits(q4m, r_["input_ids"])[-1]
            r_["q4_emulated_p_yes"] = 1 / (1 + math.exp(lg[k.NO].item() - lg[k.YES].item()))


def write_reference(out, k, refs, gen):
    common.write_json(os.path.join(out, "reference.json"),
                      {"yes_id": k.YES, "no_id": k.NO, "eos_id": k.IM_END, "prompts": refs, "generation": gen},
                      indent=1)


def write_manifest(out, r):
    """manifest.json from the run namespace r (args, cfg, k, d, qa, docs, stream, train_pos, examples,
    n_params, s1, s2, merge_diff, before, chat1, chat2, ev32, ev4, chat_question, t_start)."""
    args, cfg, k, d = r.args, r.cfg, r.k, r.d
    files = common.file_table(out)
    for rel, f in files.items():
        assert f["bytes"] <= 10 * 1024 * 1024, (rel, f["bytes"])
    n_train_pairs = len(d.train_patents) * len(d.techniques)
    ev32, ev4 = r.ev32, r.ev4
    manifest = {
        "name": os.path.basename(os.path.normpath(out)),
        "kind": "yesno-decoder",
        "architecture": {"type": "llama", **cfg, "parameters": r.n_params, "tied_lm_head": True,
                         "norm": "RMSNorm", "mlp": "SwiGLU", "position": "RoPE",
                         "attention": f"grouped-query ({cfg['num_attention_heads']} query / "
                                      f"{cfg['num_key_value_heads']} kv heads)"},
        "tokenizer": {"type": "byte-level BPE", "vocab": k.V, "merges": len(k.merges), "specials": SPECIALS,
                      "chat_template": "ChatML", "yes_id": k.YES, "no_id": k.NO, "eos_id": k.IM_END},
        "prompt": {"system": YESNO_SYSTEM, "user_template": YESNO_USER,
                   "placeholders": ["section_title", "technique", "patent_title", "patent_abstract"],
                   "answer_tokens": ["Yes", "No"],
                   "score": "P(Yes) = softmax over the Yes and No logits at the last prompt position "
                            "(prompt rendered with the chat template and add_generation_prompt)"},
        "chat": {"system": CHAT_SYSTEM, "example_question": r.chat_question,
                 "questions": ["Which pollutants does technique DEMO-BAT-NN abate?", "What is technique DEMO-BAT-NN?",
                               "Which technology codes is DEMO-BAT-NN about?", "Which techniques abate <pollutant>?",
                               "What is code <main group> about?", "What is subclass <subclass> about?",
                               "Does technique DEMO-BAT-NN abate <pollutant>?",
                               "Is code <main group> part of the <theme> theme?"]},
        "training": {
            "status": "trained",
            "seed": args.seed, "threads": args.threads,
            # Every demo year: a matcher, never scored as a forecast (see the encoders' until_year).
            "corpus": os.path.join(args.demo, "patents.jsonl"), "until_year": None,
            "data": {"patents": os.path.join(args.demo, "patents.jsonl"),
                     "techniques": os.path.join(args.demo, "techniques.json"),
                     "relevance": os.path.join(args.demo, "technique-relevance.json"),
                     "train_patents": len(d.train_patents), "held_out_patents": len(d.test_patents),
                     "stage1_documents": len(r.docs), "stage1_tokens": len(r.stream), "qa_pairs": len(r.qa),
                     "train_pairs": n_train_pairs,
                     "train_pairs_positive": sum(len(v) for v in r.train_pos.values()),
                     "bref_sections": len(r.tied),
                     "bref_note": "the demo's pollution patents are written for real technique sections of the bundled "
                                  "BREF catalogue (src/core/demo/pollution.ts); those sections are techniques here, "
                                  "with their headings as the process text, as a job reads a section without text"},
            "stage1": {"objective": "next-token prediction on training patents (title, abstract, codes), "
                                    "the technique catalogue and grounded Q&A chats",
                       "optimizer": "AdamW lr 3e-3 cosine", **r.s1},
            "stage2": {"objective": "LoRA, cross-entropy of the Yes/No answer token (+0.2 x <|im_end|> after it, "
                                    "+ 0.5 x chat replay loss every 2nd step)", **r.s2},
            "lora": {"r": LORA_R, "alpha": LORA_ALPHA, "targets": ["q_proj", "k_proj", "v_proj", "o_proj",
                                                                   "gate_proj", "up_proj", "down_proj"],
                     "merged": True, "merge_max_logit_difference": r.merge_diff},
            **({"stage1_auc_no_lora": r.before} if r.before is not None else {}),
            "chat_exact_match": {"questions": len(r.examples), "after_stage1": r.chat1, "final": r.chat2,
                                 "note": "greedy answers to the training Q&A (memorised catalogue facts), exact match"},
            "wall_seconds": round(time.time() - r.t_start, 1),
        },
        "held_out_patent_ids": sorted(d.held_out),
        "evaluation": {"held_out": "all (technique, patent) pairs of the held-out patents",
                       "class_balance": {"positive": ev32["positives"], "negative": ev32["pairs"] - ev32["positives"],
                                         "positive_share": round(ev32["positives"] / ev32["pairs"], 4)},
                       "fp32": ev32, "q4_emulated": ev4,
                       **({"bref_sections_fp32": r.ev_bref} if r.ev_bref else {}),
                       "q4_note": "q4 AUC computed in torch with the weight rounding of quantize.py emulated "
                                  "(4-bit blocks of 32 on every linear and the lm_head, 8-bit embedding rows)"},
        "variants": {"fp32": "onnx/model.onnx"} | ({} if args.no_quantize else {"q4": "onnx/model_q4.onnx"}),
        "files": files,
    }
    common.write_json(os.path.join(out, "manifest.json"), manifest, indent=1)
