#!/usr/bin/python3
"""The project's ONNX quantiser: only python3-onnx + numpy (the onnxruntime Python package is not
available here). Adapted from the probe in ../shared/reference/model-recipes/quantize.py.

usage: /usr/bin/python3 models/recipes/quantize.py MODEL_DIR [--variants int8,q8,q4]
  (reads MODEL_DIR/onnx/model.onnx, writes:)
  onnx/model_int8.onnx      weight-only int8: int8 initializers + DequantizeLinear (per-channel) -> MatMul/Gather
                            (standard ONNX ops only; fp32 compute; ~4x smaller)          -> transformers.js dtype 'int8'
  onnx/model_quantized.onnx ORT-style dynamic q8: DynamicQuantizeLinear(X) + MatMulInteger(X_u8, W_i8) + rescale
                            (standard ONNX ops; int8 GEMM); embeddings as DequantizeLinear -> transformers.js dtype 'q8'
  onnx/model_q4.onnx        4-bit block quantisation (block 32, symmetric, zp=8) via com.microsoft MatMulNBits
                            (onnxruntime contrib op, supported by onnxruntime-web/-node)  -> transformers.js dtype 'q4'

From a recipe: `quantize.quantize(model_dir, ["q8", "q4"])`. The weight rounding itself (q8_sym,
q4_blocks) is also used to emulate a quantised model in torch (dequantized_q8_rows, dequantized_q4).
"""
import os
import sys

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

BS = 32


# ---------------- the rounding ----------------
def q8_sym(w, axis):
    """symmetric int8, per-channel along `axis` (the kept axis)."""
    red = 0 if axis == 1 else 1
    s = np.abs(w).max(axis=red) / 127.0
    s[s == 0] = 1.0
    q = np.clip(np.round(w / (s[None, :] if axis == 1 else s[:, None])), -127, 127).astype(np.int8)
    return q, s.astype(np.float32)


def q4_blocks(w_nk, bs=BS):
    """4-bit symmetric blocks of `bs` along K of a [N, K] matrix (MatMulNBits' layout, i.e. the transpose of
    the ONNX MatMul B [K, N]; torch's Linear weight [out, in] as it is). Returns (values -8..7 [N, K/bs, bs],
    scales [N, K/bs])."""
    n, k = w_nk.shape
    assert k % bs == 0, k
    wt = w_nk.reshape(n, k // bs, bs)
    sc = np.abs(wt).max(-1) / 7.0
    sc[sc == 0] = 1.0
    return np.clip(np.round(wt / sc[..., None]), -8, 7), sc


def dequantized_q8_rows(w):
    """What the q8/q4 graphs compute for an embedding [rows, dim]: per-row int8, dequantised (float32)."""
    q, s = q8_sym(w, 0)
    return q.astype(np.float32) * s[:, None]


def dequantized_q4(w_nk):
    """What MatMulNBits computes with for a [N, K] weight: the q4 block values times their scales (float32)."""
    q, sc = q4_blocks(w_nk)
    return (q * sc[..., None]).reshape(w_nk.shape)


# ---------------- graph rewriting ----------------
def load(src):
    m = onnx.load(src)
    return m, {i.name: i for i in m.graph.initializer}


def weight_users(m, inits):
    """(node, input_index, initializer name) for MatMul B-inputs and Gather data-inputs that are fp32 constants."""
    out = []
    for n in m.graph.node:
        if n.op_type == "MatMul" and n.input[1] in inits and len(inits[n.input[1]].dims) == 2:
            out.append((n, 1, n.input[1]))
        elif n.op_type == "Gather" and n.input[0] in inits and len(inits[n.input[0]].dims) == 2 \
                and inits[n.input[0]].dims[0] > 16:
            out.append((n, 0, n.input[0]))
    return out


def save(m, path, src):
    onnx.checker.check_model(m)
    onnx.save(m, path)
    print(f"{path}: {os.path.getsize(path)} bytes (fp32 {os.path.getsize(src)})")


def dequant_node(m, inits, name, axis, done):
    if name in done:
        return done[name]
    w = numpy_helper.to_array(inits[name]).astype(np.float32)
    q, s = q8_sym(w, axis)
    m.graph.initializer.remove(inits[name])
    m.graph.initializer.extend([numpy_helper.from_array(q, name + "_q"), numpy_helper.from_array(s, name + "_scale"),
                                numpy_helper.from_array(np.zeros_like(s, dtype=np.int8), name + "_zp")])
    out = name + "_dq"
    m.graph.node.insert(0, helper.make_node("DequantizeLinear", [name + "_q", name + "_scale", name + "_zp"], [out],
                                            axis=axis, name=name + "_DequantizeLinear"))
    done[name] = out
    return out


def weight_only_int8(src, dst):
    """(1) weight-only int8: int8 initialisers + DequantizeLinear, fp32 compute."""
    m, inits = load(src)
    done = {}
    for n, idx, name in weight_users(m, inits):
        n.input[idx] = dequant_node(m, inits, name, 1 if n.op_type == "MatMul" else 0, done)
    save(m, dst, src)


def dynamic_q8(src, dst):
    """(2) ORT-style dynamic quantisation (DynamicQuantizeLinear + MatMulInteger); embeddings DequantizeLinear."""
    m, inits = load(src)
    done, k = {}, 0
    for n, idx, name in weight_users(m, inits):
        if n.op_type == "Gather":
            n.input[idx] = dequant_node(m, inits, name, 0, done)
            continue
        w = numpy_helper.to_array(inits[name]).astype(np.float32)          # [K, N]
        q, s = q8_sym(w, 1)
        if name not in done:
            m.graph.initializer.remove(inits[name])
            m.graph.initializer.extend([numpy_helper.from_array(q, name + "_qi8"),
                                        numpy_helper.from_array(np.zeros(q.shape[1], np.int8), name + "_zpi8"),
                                        numpy_helper.from_array(s, name + "_wscale")])
            done[name] = True
        x, y, p = n.input[0], n.output[0], f"dq{k}_"
        k += 1
        nodes = [
            helper.make_node("DynamicQuantizeLinear", [x], [p + "xq", p + "xs", p + "xzp"], name=p + "DQL"),
            helper.make_node("MatMulInteger", [p + "xq", name + "_qi8", p + "xzp", name + "_zpi8"], [p + "acc"],
                             name=p + "MMI"),
            helper.make_node("Cast", [p + "acc"], [p + "accf"], to=TensorProto.FLOAT, name=p + "Cast"),
            helper.make_node("Mul", [p + "xs", name + "_wscale"], [p + "sc"], name=p + "MulS"),
            helper.make_node("Mul", [p + "accf", p + "sc"], [y], name=p + "MulY"),
        ]
        pos = list(m.graph.node).index(n)
        m.graph.node.remove(n)
        for j, node in enumerate(nodes):
            m.graph.node.insert(pos + j, node)
    save(m, dst, src)


def matmul_nbits_q4(src, dst):
    """(3) q4: com.microsoft MatMulNBits, block 32, symmetric (implicit zero point 8); embeddings 8-bit."""
    m, inits = load(src)
    m.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    done = {}
    for n, idx, name in weight_users(m, inits):
        if n.op_type == "Gather":            # keep embeddings 8-bit (as transformers.js q4 exports do)
            n.input[idx] = dequant_node(m, inits, name, 0, done)
            continue
        w = numpy_helper.to_array(inits[name]).astype(np.float32)          # [K, N]
        K, N = w.shape
        assert K % BS == 0, (name, K)
        q, sc = q4_blocks(w.T)                                             # [N, blocks, BS]
        qv = (q + 8).astype(np.uint8)                                      # 0..15, zp 8
        packed = (qv[..., 0::2] | (qv[..., 1::2] << 4)).astype(np.uint8)   # low nibble = even element
        if name not in done:
            m.graph.initializer.remove(inits[name])
            m.graph.initializer.extend([numpy_helper.from_array(packed, name + "_q4"),
                                        numpy_helper.from_array(sc.astype(np.float32).reshape(-1), name + "_q4scale")])
            done[name] = True
        pos = list(m.graph.node).index(n)
        m.graph.node.remove(n)
        m.graph.node.insert(pos, helper.make_node("MatMulNBits", [n.input[0], name + "_q4", name + "_q4scale"],
                                                  [n.output[0]], domain="com.microsoft", K=K, N=N, bits=4,
                                                  block_size=BS, name=name + "_MatMulNBits"))
    onnx.save(m, dst)  # checker does not know contrib ops
    print(f"{dst}: {os.path.getsize(dst)} bytes")


def quantize(model_dir, variants=("q8", "q4")):
    """Writes the requested variants of model_dir/onnx/model.onnx next to it (int8, q8, q4, in that order)."""
    src = os.path.join(model_dir, "onnx", "model.onnx")
    out = lambda name: os.path.join(model_dir, "onnx", name)
    if "int8" in variants:
        weight_only_int8(src, out("model_int8.onnx"))
    if "q8" in variants:
        dynamic_q8(src, out("model_quantized.onnx"))
    if "q4" in variants:
        matmul_nbits_q4(src, out("model_q4.onnx"))


def main(argv):
    variants = set((argv[argv.index("--variants") + 1] if "--variants" in argv else "q8,q4").split(","))
    quantize(argv[1], variants)


if __name__ == "__main__":
    main(sys.argv)
