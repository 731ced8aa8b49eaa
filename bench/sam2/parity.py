#!/usr/bin/env python3
"""Parity of the frame-processor sam2 engine with SAM2's reference video predictor (bench/sam2/parity.sh runs it all).

    parity.py reference --sam2 <sam2 sources> --models <export dir> --frames <png dir> --prompts parity_prompts.json --out <dir>
                        [--obj-score-affine K C]
    parity.py compare   --reference <dir> --java <dir> [--rtol 1e-4 --min-iou 0.99 --obj-score-affine K C]

reference: builds SAM2.1 with the seed and random weights export_sam2.py exported (checked against the export's
weights.sha256), as SAM2VideoPredictor with the options build_sam2_video_predictor sets (dynamic multimask via
stability, binarized prompted masks in memory, holes up to 8 pixels filled), and runs it on the PNG frames the Java
harness cut (no resize on either side: the frames are already image_size square). Prompts are applied causally, as
on a live stream: the objects of frame 0 are prompted, the predictor propagates up to the next prompted frame
(inclusive, as the engine tracks its objects on a frame before it applies the frame's prompts), the prompts of that
frame are applied there (a new id adds an object, which the predictor allows after tracking started; an existing id
corrects the object on a frame it was tracked on) and propagation goes on from the frame after. Per frame and object it writes the low-resolution logits it outputs (pred_masks, holes filled) as
t<frame>_o<object>.f32 (float32 little-endian) and the object score logits in scores.jsonl.

The hole filling needs SAM2's CUDA extension; without it the predictor skips it with a warning, so a CPU
replacement (8-connected components of the background, the extension's rule) is put in its place.

compare: per frame and object, max and mean absolute difference of the logits, the object scores, and the IoU of
the binary masks (logits > 0); exits 1 when a difference exceeds --rtol of the reference's scale, an IoU is below
--min-iou, or the two disagree on an object's visibility (score <= 0: logits -1024 everywhere on both sides).
"""
import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "models"))

PREDICTOR = "sam2.sam2_video_predictor.SAM2VideoPredictor"
NO_OBJ_SCORE = -1024.0  # sam2_base.NO_OBJ_SCORE: the mask logits of an object that is not visible
HOLE_FILL = np.float32(0.1)  # fill_holes_in_mask_scores: the logit a filled hole gets
# build_sam2_video_predictor's overrides with apply_postprocessing=True (its default)
PREDICTOR_OPTIONS = {
    "sam_mask_decoder_extra_args": {"dynamic_multimask_via_stability": True,
                                    "dynamic_multimask_stability_delta": 0.05,
                                    "dynamic_multimask_stability_thresh": 0.98},
    "binarize_mask_from_pts_for_mem_enc": True,
    "fill_hole_area": 8,
}


def frame_path(directory, t):
    return os.path.join(directory, f"t{t:02d}.png")


def connected_components(mask):
    """CPU stand-in for sam2's CUDA get_connected_components: 8-connected labels of the True pixels of an
    (N, 1, H, W) bool tensor, and per pixel the area of its component (0 on False pixels)."""
    import torch
    import torch.nn.functional as F
    n, _, h, w = mask.shape
    big = h * w + 1
    index = torch.arange(1, h * w + 1, dtype=torch.float32).reshape(1, 1, h, w).expand(n, 1, h, w)
    labels = torch.where(mask, index, torch.full_like(index, big))
    while True:  # each pass spreads the smallest index one pixel further through the component
        spread = -F.max_pool2d(-labels, kernel_size=3, stride=1, padding=1)
        spread = torch.where(mask, spread, torch.full_like(spread, big))
        if torch.equal(spread, labels):
            break
        labels = spread
    labels = torch.where(mask, labels, torch.zeros_like(labels)).to(torch.int64)
    counts = torch.zeros_like(labels)
    for i in range(n):
        flat = labels[i].flatten()
        area = torch.bincount(flat, minlength=big + 1)
        counts[i] = torch.where(labels[i] > 0, area[labels[i]], torch.zeros_like(labels[i]))
    return labels.to(torch.int32), counts.to(torch.int32)


def build_predictor(size, state_dict):
    import export_sam2
    cfg = f"configs/sam2.1/sam2.1_hiera_{export_sam2.CONFIGS[size]}.yaml"
    try:
        from sam2.build_sam import build_sam2_video_predictor
        predictor = build_sam2_video_predictor(cfg, None, device="cpu")
    except ImportError:  # no hydra (Debian packages only)
        predictor = export_sam2.build_without_hydra(cfg, None, target=PREDICTOR, overrides=PREDICTOR_OPTIONS)
    predictor.load_state_dict(state_dict)
    return predictor.eval()


def reference(a):
    sys.path.insert(0, os.path.abspath(a.sam2))
    import torch
    import export_sam2
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)  # export_sam2.main's seed: the same random weights
    model = export_sam2.build(a.size, None)
    if a.obj_score_affine:  # before the digest: the export must have been made with the same K and C
        export_sam2.affine_object_score(model, *a.obj_score_affine)
    digest = export_sam2.weights_digest(model)
    stamp = os.path.join(a.models, f"{a.size}-fp32", "weights.sha256")
    if os.path.exists(stamp):
        with open(stamp) as f:
            expected = f.read().strip()
        if digest != expected:
            raise SystemExit(f"the PyTorch model's weights ({digest[:12]}) are not those of the export ({expected[:12]})")
        print(f"weights match the export ({digest[:12]})")
    else:
        print(f"warning: {stamp} missing, cannot check the export has these weights ({digest[:12]})")
    predictor = build_predictor(a.size, model.state_dict())
    del model

    import sam2.sam2_video_predictor as vp
    import sam2.utils.misc as misc
    misc.get_connected_components = connected_components
    with open(a.prompts) as f:
        spec = json.load(f)
    count = spec["frames"]

    def load_frames(video_path, image_size, **_):
        from PIL import Image
        mean = torch.tensor((0.485, 0.456, 0.406), dtype=torch.float32)[:, None, None]
        std = torch.tensor((0.229, 0.224, 0.225), dtype=torch.float32)[:, None, None]
        images = torch.zeros(count, 3, image_size, image_size, dtype=torch.float32)
        for t in range(count):
            img = Image.open(frame_path(video_path, t)).convert("RGB")
            if img.size != (image_size, image_size):
                raise SystemExit(f"{frame_path(video_path, t)} is {img.size}, not {image_size} square")
            images[t] = torch.from_numpy(np.array(img) / 255.0).permute(2, 0, 1)  # as _load_img_as_tensor
        images -= mean
        images /= std
        return images, image_size, image_size

    vp.load_video_frames = load_frames
    os.makedirs(a.out, exist_ok=True)
    with torch.inference_mode():
        state = predictor.init_state(video_path=a.frames)
        def propagate(start, end):  # frames start..end, inclusive
            if start <= end:
                for _ in predictor.propagate_in_video(state, start_frame_idx=start, max_frame_num_to_track=end - start):
                    pass

        done = -1  # every object has its output up to this frame
        for t in sorted({o["frame"] for o in spec["objects"]}):
            if done >= 0:
                # the objects there are tracked on frame t first, as the engine does, so that a prompt on one of them
                # is a correction (memory-conditioned, this frame's mask as input, not a conditioning frame) and
                # not a new conditioning frame
                propagate(done + 1, t)
            for o in spec["objects"]:
                if o["frame"] == t:
                    points = o.get("points")
                    predictor.add_new_points_or_box(
                        state, frame_idx=t, obj_id=o["id"],
                        points=[p[:2] for p in points] if points else None,
                        labels=[p[2] for p in points] if points else None,
                        box=o.get("box"))
            done = t
        # on from the frame after the last prompt: propagation recomputes every non-conditioning frame it passes,
        # which would replace a correction's output
        propagate(done + 1, count - 1)
        lines = []
        for obj_id, idx in state["obj_id_to_idx"].items():
            outputs = state["output_dict_per_obj"][idx]
            for t in range(count):
                out = outputs["cond_frame_outputs"].get(t) or outputs["non_cond_frame_outputs"].get(t)
                if out is None:
                    continue
                out["pred_masks"].float().numpy().astype("<f4").tofile(os.path.join(a.out, f"t{t:02d}_o{obj_id}.f32"))
                lines.append(json.dumps({"frame": t, "object": obj_id,
                                         "object_score": float(out["object_score_logits"].reshape(-1)[0]),
                                         "conditioning": t in outputs["cond_frame_outputs"]}))
    with open(os.path.join(a.out, "scores.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"reference: {len(lines)} (frame, object) outputs in {a.out}")


def read_scores(path):
    with open(path) as f:
        return {(r["frame"], r["object"]): r for r in map(json.loads, filter(str.strip, f))}


def compare(a):
    """Tolerances are relative to the reference's own scale (max |logit| of the mask, mean |logit|, |object score|,
    at least 1): random weights give logits within about +-0.4, a trained model tens."""
    ref = read_scores(os.path.join(a.reference, "scores.jsonl"))
    java = read_scores(os.path.join(a.java, "scores.jsonl"))
    if set(ref) != set(java):
        print(f"different (frame, object) sets: only reference {sorted(set(ref) - set(java))}, "
              f"only java {sorted(set(java) - set(ref))}")
        return 1
    print(f"{'frame':>5} {'obj':>3} {'max|ref|':>9} {'max|d|':>10} {'mean|d|':>10} {'score ref':>10} {'score java':>10} "
          f"{'IoU':>7} {'ref area':>8} {'java area':>9}")
    worst = {"max": 0.0, "mean": 0.0, "score": 0.0, "iou": 1.0, "max_abs": 0.0, "mean_abs": 0.0, "score_abs": 0.0,
             "min_abs_score": float("inf")}
    occluded, disagree, fill_flips = [], [], []
    for key in sorted(ref):
        r = np.fromfile(os.path.join(a.reference, f"t{key[0]:02d}_o{key[1]}.f32"), dtype="<f4").astype(np.float64)
        j = np.fromfile(os.path.join(a.java, f"t{key[0]:02d}_o{key[1]}.f32"), dtype="<f4").astype(np.float64)
        d = np.abs(r - j)
        # hole filling is a step at logit 0: a pixel whose logit is within the tolerance of 0 may be a filled hole
        # (HOLE_FILL) on one side and keep its tiny logit on the other; such pixels count apart, not as differences
        near_zero = a.rtol * max(np.abs(r).max(), 1e-12)
        flips = ((r == HOLE_FILL) & (np.abs(j) <= near_zero)) | ((j == HOLE_FILL) & (np.abs(r) <= near_zero))
        d[flips] = 0.0
        fill_flips.extend([key] * int(flips.sum()))
        rb, jb = r > 0, j > 0
        union = np.logical_or(rb, jb).sum()
        iou = 1.0 if union == 0 else np.logical_and(rb, jb).sum() / union
        sr, sj = ref[key]["object_score"], java[key]["object_score"]
        ds = abs(sr - sj)
        k, c = a.obj_score_affine or (1.0, 0.0)  # the tolerance is on the model's own score, s = score / k + c
        worst["max"] = max(worst["max"], d.max() / max(np.abs(r).max(), 1e-12))
        worst["mean"] = max(worst["mean"], d.mean() / max(np.abs(r).mean(), 1e-12))
        worst["score"] = max(worst["score"], ds / k / max(abs(sr / k + c), 1.0))
        worst["max_abs"] = max(worst["max_abs"], d.max())
        worst["mean_abs"] = max(worst["mean_abs"], d.mean())
        worst["score_abs"] = max(worst["score_abs"], ds)
        worst["iou"] = min(worst["iou"], iou)
        worst["min_abs_score"] = min(worst["min_abs_score"], abs(sr))
        # score <= 0: the object is not visible and the predictor's logits are NO_OBJ_SCORE everywhere
        hidden = (sr <= 0, sj <= 0)
        if hidden != (False, False):
            occluded.append(key)
        if hidden[0] != hidden[1] or (hidden[0] and not (np.all(r == NO_OBJ_SCORE) and np.all(j == NO_OBJ_SCORE))):
            disagree.append(key)
        print(f"{key[0]:>5} {key[1]:>3} {np.abs(r).max():>9.3g} {d.max():>10.3g} {d.mean():>10.3g} {sr:>10.4f} {sj:>10.4f} "
              f"{iou:>7.4f} {int(rb.sum()):>8} {int(jb.sum()):>9}{'  occluded' if hidden[0] else ''}")
    ok = (worst["max"] <= a.rtol and worst["mean"] <= a.rtol and worst["score"] <= a.rtol and worst["iou"] >= a.min_iou
          and not disagree)
    print(f"occluded (score <= 0): {' '.join(f'{t}/{o}' for t, o in occluded) or 'none'} (frame/object); "
          f"occlusion disagreements (sign of the score, or logits not {NO_OBJ_SCORE:g} everywhere): "
          f"{' '.join(f'{t}/{o}' for t, o in disagree) or 'none'}; smallest |score| {worst['min_abs_score']:.4g} = "
          f"{worst['min_abs_score'] / max(worst['score_abs'], 1e-30):.3g} x the largest |d score|")
    print(f"pixels filled as a hole on one side only, their logit within the tolerance of 0 on the other: "
          f"{len(fill_flips)} {' '.join(sorted({f'{t}/{o}' for t, o in fill_flips}))}")
    print(f"worst: max |d| {worst['max_abs']:.3g} = {worst['max']:.3g} of the mask's max |logit|, mean |d| "
          f"{worst['mean_abs']:.3g} = {worst['mean']:.3g} of its mean |logit|, object score |d| {worst['score_abs']:.3g}, "
          f"IoU {worst['iou']:.5f}; tolerances: {a.rtol:g} relative, IoU >= {a.min_iou}: {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("reference")
    r.add_argument("--sam2", required=True, help="a checkout of facebookresearch/sam2 (the directory holding sam2/)")
    r.add_argument("--models", required=True, help="export_sam2.py --out directory (holds tiny-fp32/)")
    r.add_argument("--frames", required=True)
    r.add_argument("--prompts", default=os.path.join(HERE, "parity_prompts.json"))
    r.add_argument("--out", required=True)
    r.add_argument("--size", default="tiny")
    r.add_argument("--threads", type=int, default=2)
    r.add_argument("--obj-score-affine", nargs=2, type=float, metavar=("K", "C"),
                   help="as export_sam2.py's: object scores become K * (score - C); off by default")
    c = sub.add_parser("compare")
    c.add_argument("--reference", required=True)
    c.add_argument("--java", required=True)
    c.add_argument("--rtol", type=float, default=1e-4,
                   help="largest difference relative to the reference's scale: max |d| / max |logit| per mask, "
                        "mean |d| / mean |logit| per mask, |d score| / max(1, |score|)")
    c.add_argument("--min-iou", type=float, default=0.99)
    c.add_argument("--obj-score-affine", nargs=2, type=float, metavar=("K", "C"),
                   help="the reference's: the object score tolerance then applies to score / K + C")
    a = p.parse_args()
    if a.command == "reference":
        reference(a)
        return 0
    return compare(a)


if __name__ == "__main__":
    sys.exit(main())
