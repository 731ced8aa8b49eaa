#!/usr/bin/env python3
"""Export SAM2.1 (facebookresearch/sam2) to the five ONNX graphs of docs/sam2-onnx.md.

    python export_sam2.py --size tiny --checkpoint sam2.1_hiera_tiny.pt --out models/sam2
    python export_sam2.py --size small --random-weights --out models/sam2          # speed tests, no checkpoint
    python export_sam2.py --size small --checkpoint sam2.1_hiera_small.pt --precision fp16 --out models/sam2

Writes <out>/<size>-<precision>/{image_encoder,prompt_decoder,memory_attention,memory_encoder,constants}.onnx and
checks each graph once with ONNX Runtime. What differs from public exports (see ../../docs/sam2-onnx.md):
  * the rotary encoding of memory attention is rewritten element-wise with real cos/sin (complex tensors do not
    export; a 2x2-matrix form ran 4x slower under TensorRT);
  * the decoder exposes the object score, all four masks, IoUs and pointer candidates (the host chooses);
  * the memory encoder adds the no-object spatial embedding when obj_score <= 0;
  * temporal slots are indices (mem_slot) looked up in maskmem_tpos_enc inside the graph, in the reference's order;
  * memory attention is batched over objects (mem [B,M,Cm,G,G]) that hold as many memories and pointers.
"""
import argparse
import inspect
import math
import os
import types

import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIGS = {"tiny": "t", "small": "s", "base_plus": "b+", "large": "l"}
GRAPHS = ["image_encoder", "prompt_decoder", "memory_attention", "memory_encoder", "constants"]
OPSET = 17


def build(size, checkpoint):
    cfg = f"configs/sam2.1/sam2.1_hiera_{CONFIGS[size]}.yaml"
    try:
        from sam2.build_sam import build_sam2
    except ImportError:  # the sam2 sources without hydra-core (e.g. only Debian packages): read the config ourselves
        return build_without_hydra(cfg, checkpoint)
    # ckpt_path=None leaves the random initialisation: same architecture and speed as the trained model
    model = build_sam2(cfg, ckpt_path=checkpoint, device="cpu", mode="eval")
    return model.eval()


def affine_object_score(model, k, c):
    """Test device for the parity check (bench/sam2/parity.py): turns every object score s into k * (s - c) by
    scaling the last linear layer of the mask decoder's pred_obj_score_head (W, b -> k W, k (b - c)). With random
    weights the scores sit in a narrow positive band; c inside it and a large k make objects go occluded (score <= 0)
    and come back with margins far above fp32 noise. Only for random-weight parity runs."""
    head = model.sam_mask_decoder.pred_obj_score_head
    last = head.layers[-1] if hasattr(head, "layers") else head  # an MLP (SAM2.1 configs) or one Linear
    with torch.no_grad():
        last.weight.mul_(k)
        last.bias.sub_(c).mul_(k)


def build_without_hydra(cfg, checkpoint, target=None, overrides=None):
    """The model node of the sam2 package's config, instantiated from its _target_ entries with OmegaConf alone;
    target replaces the model class and overrides (a dict, merged one level deep) its arguments, as hydra's ++ keys."""
    import importlib
    import importlib.util
    import sys
    from omegaconf import OmegaConf
    loaded = sys.modules.get("sam2")
    if loaded is not None and getattr(loaded, "__spec__", None) is None and getattr(loaded, "__path__", None):
        root = loaded.__path__[0]  # the stand-in package of an earlier call
    else:
        spec = importlib.util.find_spec("sam2")
        if spec is None:
            raise SystemExit("the sam2 sources are needed: pip install -r requirements.txt, or PYTHONPATH=<sam2 checkout>")
        root = spec.submodule_search_locations[0]
    package = types.ModuleType("sam2")  # sam2/__init__.py only starts hydra; skip it
    package.__path__ = [root]
    sys.modules["sam2"] = package
    try:
        import iopath.common.file_io  # noqa: F401  (hieradet imports it for pretrained trunk weights, unused here)
    except ImportError:
        for name in ("iopath", "iopath.common", "iopath.common.file_io"):
            sys.modules[name] = types.ModuleType(name)
        sys.modules["iopath.common.file_io"].g_pathmgr = None

    def instantiate(node):
        if isinstance(node, dict):
            args = {k: instantiate(v) for k, v in node.items() if k != "_target_"}
            if "_target_" not in node:
                return args
            module, _, name = node["_target_"].rpartition(".")
            return getattr(importlib.import_module(module), name)(**args)
        if isinstance(node, list):
            return [instantiate(v) for v in node]
        return node

    node = OmegaConf.to_container(OmegaConf.load(os.path.join(root, cfg)).model, resolve=True)
    if target:
        node["_target_"] = target
    for key, value in (overrides or {}).items():
        if isinstance(value, dict):
            node[key] = {**node.get(key, {}), **value}
        else:
            node[key] = value
    model = instantiate(node)
    if checkpoint:
        model.load_state_dict(torch.load(checkpoint, map_location="cpu", weights_only=True)["model"])
    return model.eval()


if not hasattr(F, "scaled_dot_product_attention"):  # torch < 2.0: Debian 12 ships 1.13
    def _attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=False):
        """No fused attention yet; SAM2 calls it without mask or dropout in eval, and it exports to the same ops."""
        return torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1]), dim=-1) @ v

    F.scaled_dot_product_attention = _attention
    # nor an ONNX symbolic for Tensor.tile, which Hiera uses with full-rank repeats: that is ONNX Tile, as repeat is
    from torch.onnx import register_custom_op_symbolic, symbolic_opset9
    register_custom_op_symbolic("aten::tile", lambda g, x, dims: symbolic_opset9.repeat(g, x, dims), OPSET)


# ---- rotary encoding with real arithmetic -------------------------------------------------------------------------

def rope_tables(attn, n_tokens):
    """cos/sin [n, head_dim/2] of the axial rotary frequencies for a square grid of n_tokens."""
    side = int(math.sqrt(n_tokens))
    cis = attn.compute_cis(end_x=side, end_y=side)  # complex [n, head_dim/2], computed here at export time only
    return cis.real.float().contiguous(), cis.imag.float().contiguous()


def rotate(x, cos, sin):
    """x [..., L, D] rotated pairwise (x0, x1) -> (x0 cos - x1 sin, x0 sin + x1 cos), as view_as_complex would."""
    a = x[..., 0::2]
    b = x[..., 1::2]
    return torch.stack((a * cos - b * sin, a * sin + b * cos), dim=-1).flatten(-2)


def real_rope_forward(self, q, k, v, num_k_exclude_rope: int = 0):
    """RoPEAttention.forward without complex tensors and without in-place slice assignment."""
    q = self._separate_heads(self.q_proj(q), self.num_heads)
    k = self._separate_heads(self.k_proj(k), self.num_heads)
    v = self._separate_heads(self.v_proj(v), self.num_heads)
    cos, sin = self.rope_cos, self.rope_sin                      # [Lq, D/2], Lq = G*G
    q = rotate(q, cos, sin)
    n_rope = k.shape[-2] - num_k_exclude_rope
    k_rope, k_rest = k[:, :, :n_rope], k[:, :, n_rope:]
    repeat = n_rope // q.shape[-2]                               # one copy per spatial memory (rope_k_repeat)
    k_rope = rotate(k_rope, cos.repeat(repeat, 1), sin.repeat(repeat, 1))
    k = torch.cat((k_rope, k_rest), dim=-2)
    # fp32 softmax over up to 7*4096+64 keys (an fp16 export keeps this op in fp32)
    out = F.scaled_dot_product_attention(q, k, v, dropout_p=0.0)
    return self.out_proj(self._recombine_heads(out))


def patch_rope(model, n_tokens):
    from sam2.modeling.sam.transformer import RoPEAttention
    for m in model.memory_attention.modules():
        if isinstance(m, RoPEAttention):
            cos, sin = rope_tables(m, n_tokens)
            m.register_buffer("rope_cos", cos, persistent=False)
            m.register_buffer("rope_sin", sin, persistent=False)
            m.forward = types.MethodType(real_rope_forward, m)


# ---- the five graphs ----------------------------------------------------------------------------------------------

class ImageEncoder(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, image):
        out = self.m.forward_image(image)            # conv_s0 / conv_s1 applied to the two high-res levels
        fpn = out["backbone_fpn"]
        return fpn[-1], fpn[0], fpn[1]


class PromptDecoder(nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, image_embed, hr0, hr1, point_coords, point_labels, mask_input, has_mask):
        pe = self.m.sam_prompt_encoder
        sparse, _ = pe(points=(point_coords, point_labels.to(torch.int32)), boxes=None, masks=None)
        flag = has_mask.reshape(1, 1, 1, 1)
        with_mask = pe.mask_downscaling(mask_input)
        without = pe.no_mask_embed.weight.reshape(1, -1, 1, 1).expand_as(with_mask)
        dense = flag * with_mask + (1 - flag) * without
        masks, iou, tokens, obj_score = self.m.sam_mask_decoder.predict_masks(
            image_embeddings=image_embed, image_pe=pe.get_dense_pe(), sparse_prompt_embeddings=sparse,
            dense_prompt_embeddings=dense, repeat_image=False, high_res_features=[hr0, hr1])
        return masks, iou, self.m.obj_ptr_proj(tokens), obj_score


class MemoryAttention(nn.Module):
    """Memory attention for a batch of B objects with as many memories (M) and pointers (P) each; curr is shared."""

    def __init__(self, m, curr_pos, maskmem_pos):
        super().__init__()
        self.m = m
        self.register_buffer("curr_pos", curr_pos)          # [HW, 1, C]  position encoding of the image level
        self.register_buffer("maskmem_pos", maskmem_pos)    # [HW, Cm]    position encoding of every memory

    def forward(self, curr, mem, mem_slot, ptrs, ptr_tpos):
        b, cm = mem.shape[0], mem.shape[2]
        c = curr.shape[1]
        curr_seq = curr.flatten(2).permute(2, 0, 1).expand(-1, b, -1)                # [HW, B, C]
        curr_pos = self.curr_pos.expand(-1, b, -1)
        mem_seq = mem.flatten(3).permute(1, 3, 0, 2).reshape(-1, b, cm)              # [M*HW, B, Cm], memory-major
        tpos = self.m.maskmem_tpos_enc.reshape(-1, cm)[mem_slot]                     # [B, M, Cm]
        mem_pos = (self.maskmem_pos[None, :, None, :] + tpos.permute(1, 0, 2)[:, None]).reshape(-1, b, cm)
        from sam2.modeling.sam2_utils import get_1d_sine_pe
        t_diff_max = self.m.max_obj_ptrs_in_encoder - 1
        obj_pos = self.m.obj_ptr_tpos_proj(get_1d_sine_pe(ptr_tpos / t_diff_max, dim=c))  # [B, P, Cm]
        split = c // cm
        ptr_tokens = ptrs.reshape(b, -1, split, cm).permute(1, 2, 0, 3).flatten(0, 1)   # [P*split, B, Cm]
        # each pointer's encoding for each of its tokens; expand, not repeat_interleave, whose torch 1.13 export
        # bakes the example's batch size into the graph
        obj_pos = obj_pos.unsqueeze(2).expand(-1, -1, split, -1).permute(1, 2, 0, 3).flatten(0, 1)  # [P*split, B, Cm]
        memory = torch.cat((mem_seq, ptr_tokens), dim=0)
        memory_pos = torch.cat((mem_pos, obj_pos), dim=0)
        out = self.m.memory_attention(curr=curr_seq, curr_pos=curr_pos, memory=memory, memory_pos=memory_pos,
                                      num_obj_ptr_tokens=ptr_tokens.shape[0])
        return out.permute(1, 2, 0).reshape(b, c, curr.shape[2], curr.shape[3])


class MemoryEncoder(nn.Module):
    def __init__(self, m, image_size):
        super().__init__()
        self.m = m
        self.image_size = image_size

    def forward(self, vision_feat, low_res_mask, binarize, obj_score):
        high = F.interpolate(low_res_mask, size=(self.image_size, self.image_size), mode="bilinear", align_corners=False)
        b = binarize.reshape(-1, 1, 1, 1)
        mask = b * (high > 0).float() + (1 - b) * torch.sigmoid(high)
        mask = mask * self.m.sigmoid_scale_for_mem_enc + self.m.sigmoid_bias_for_mem_enc
        feats = self.m.memory_encoder(vision_feat, mask, skip_mask_sigmoid=True)["vision_features"]
        hidden = (obj_score <= 0).float().reshape(-1, 1, 1, 1)
        return feats + hidden * self.m.no_obj_embed_spatial.reshape(1, -1, 1, 1)


def export_constants(model, path):
    """no_mem_embed and no_obj_ptr as two Constant nodes: the exporter folds a graph without inputs and then loses
    the output names."""
    import onnx
    from onnx import helper, numpy_helper
    c = model.no_obj_ptr.shape[-1]
    values = {"no_mem_embed": model.no_mem_embed.detach().reshape(1, c).float().numpy(),
              "no_obj_ptr": model.no_obj_ptr.detach().reshape(1, c).float().numpy()}
    nodes = [helper.make_node("Constant", [], [name], value=numpy_helper.from_array(v, name)) for name, v in values.items()]
    outputs = [helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, [1, c]) for name in values]
    graph = helper.make_graph(nodes, "constants", [], outputs)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)]), path)
    return values


# ---- export -------------------------------------------------------------------------------------------------------

def export(module, args, path, inputs, outputs, dynamic):
    # the TorchScript exporter; torch >= 2.5 must be told not to use dynamo, older torch has no such option
    legacy = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=dynamic,
                      opset_version=OPSET, do_constant_folding=True, **legacy)


def to_fp16(path):
    import onnx
    from onnxconverter_common import float16
    model = float16.convert_float_to_float16(onnx.load(path), keep_io_types=True,
                                             op_block_list=["Softmax", "ReduceMean", "Sigmoid", "Resize", "Pow", "Sqrt"])
    onnx.save(model, path)


def weights_digest(model):
    """SHA-256 over the model's parameters and buffers (name, shape, fp32 bytes): tells whether a PyTorch model
    built elsewhere (bench/sam2/parity.py) has the weights these graphs were exported from."""
    import hashlib
    h = hashlib.sha256()
    for name, t in sorted(model.state_dict().items()):
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.detach().float().contiguous().numpy().tobytes())
    return h.hexdigest()


def graphs(model):
    """The four exported modules of the model, each with example inputs, I/O names and dynamic axes. Patches the
    model's memory attention for export (real rotary encoding)."""
    s = model.image_size
    with torch.no_grad():
        image = torch.randn(1, 3, s, s)
        backbone = model.forward_image(image)
        vision_feat = backbone["backbone_fpn"][-1]
        hr0, hr1 = backbone["backbone_fpn"][0], backbone["backbone_fpn"][1]
        c, g = vision_feat.shape[1], vision_feat.shape[-1]
        curr_pos = backbone["vision_pos_enc"][-1].flatten(2).permute(2, 0, 1).contiguous()       # [HW, 1, C]
        r = 4 * g
        mask = torch.randn(2, 1, r, r)
        enc = model.memory_encoder(vision_feat, torch.sigmoid(F.interpolate(mask, size=(s, s))) * 20 - 10,
                                   skip_mask_sigmoid=True)
        cm = enc["vision_features"].shape[1]
        maskmem_pos = enc["vision_pos_enc"][0][0].flatten(1).permute(1, 0).contiguous()          # [HW, Cm]
    patch_rope(model, g * g)

    files = {}
    files["image_encoder"] = (ImageEncoder(model), (image,), ["image"], ["vision_feat", "hr0", "hr1"], None)
    b, n = 2, 3
    files["prompt_decoder"] = (PromptDecoder(model),
                               (vision_feat.repeat(b, 1, 1, 1), hr0, hr1, torch.rand(b, n, 2) * s,
                                torch.tensor([[2., 3., 1.]] * b), torch.randn(b, 1, r, r), torch.ones(1)),
                               ["image_embed", "hr0", "hr1", "point_coords", "point_labels", "mask_input", "has_mask"],
                               ["masks", "iou", "obj_ptrs", "obj_score"],
                               {"image_embed": {0: "B"}, "point_coords": {0: "B", 1: "N"}, "point_labels": {0: "B", 1: "N"},
                                "mask_input": {0: "B"}, "masks": {0: "B"}, "iou": {0: "B"}, "obj_ptrs": {0: "B"},
                                "obj_score": {0: "B"}})
    m, pn = 3, 5
    files["memory_attention"] = (MemoryAttention(model, curr_pos, maskmem_pos),
                                 (vision_feat, torch.randn(b, m, cm, g, g), torch.tensor([[6, 1, 0], [6, 2, 0]]),
                                  torch.randn(b, pn, c), torch.tensor([[3., 1., 2., 4., 5.], [5., 1., 2., 3., 4.]])),
                                 ["curr", "mem", "mem_slot", "ptrs", "ptr_tpos"], ["pix_feat"],
                                 {"mem": {0: "B", 1: "M"}, "mem_slot": {0: "B", 1: "M"}, "ptrs": {0: "B", 1: "P"},
                                  "ptr_tpos": {0: "B", 1: "P"}, "pix_feat": {0: "B"}})
    files["memory_encoder"] = (MemoryEncoder(model, s), (vision_feat, mask, torch.ones(2, 1), torch.tensor([[1.], [-1.]])),
                               ["vision_feat", "low_res_mask", "binarize", "obj_score"], ["maskmem"],
                               {"low_res_mask": {0: "B"}, "binarize": {0: "B"}, "obj_score": {0: "B"}, "maskmem": {0: "B"}})
    return files


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=list(CONFIGS), required=True)
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--checkpoint", help="official SAM2.1 checkpoint, e.g. sam2.1_hiera_tiny.pt")
    src.add_argument("--random-weights", action="store_true", help="untrained model of the same architecture")
    p.add_argument("--precision", choices=["fp32", "fp16"], default="fp32")
    p.add_argument("--out", default="models/sam2")
    p.add_argument("--obj-score-affine", nargs=2, type=float, metavar=("K", "C"),
                   help="test device for the parity check: object scores become K * (score - C) (see "
                        "affine_object_score); off by default")
    p.add_argument("--graphs", nargs="+", choices=GRAPHS, default=GRAPHS,
                   help="export only these (e.g. memory_attention to renew one graph of an export)")
    a = p.parse_args()

    torch.manual_seed(0)
    model = build(a.size, None if a.random_weights else a.checkpoint)
    if a.obj_score_affine:
        affine_object_score(model, *a.obj_score_affine)
    out = os.path.join(a.out, f"{a.size}-{a.precision}")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "weights.sha256"), "w") as f:
        f.write(weights_digest(model) + "\n")
    files = graphs(model)

    import numpy as np
    try:
        import onnxruntime as ort
    except ImportError:
        ort = None
        print("onnxruntime (python) is not installed: graphs are not checked here; bench/sam2/run.sh runs them in Java")
    for name, (module, args, inputs, outputs, dynamic) in files.items():
        if name not in a.graphs:
            continue
        path = os.path.join(out, name + ".onnx")
        with torch.no_grad():
            export(module.eval(), args, path, inputs, outputs, dynamic)
            expected = module(*args)
        if a.precision == "fp16":
            to_fp16(path)
        if ort is None:
            print(f"{path}: exported")
            continue
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        got = session.run(None, {k: v.numpy() for k, v in zip(inputs, args)})
        expected = expected if isinstance(expected, tuple) else (expected,)
        worst = max(float(np.abs(e.numpy() - o).max()) for e, o in zip(expected, got))
        print(f"{path}: {[o.shape for o in got]}, max |torch - onnxruntime| = {worst:.3g}")
    if "constants" in a.graphs:
        path = os.path.join(out, "constants.onnx")
        values = export_constants(model, path)
        print(f"{path}: {[v.shape for v in values.values()]}")


if __name__ == "__main__":
    main()
