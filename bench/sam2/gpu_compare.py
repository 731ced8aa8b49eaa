#!/usr/bin/env python3
"""GPU comparison, same run, same GPU: the exported graphs on ONNX Runtime's CUDA provider (the sam2 engine's
per-frame sequence for one tracked object) against a PyTorch reference of the same size with random weights
(Hugging Face transformers Sam2VideoModel), both at 1024x1024.

    pip install -r ../../deploy/models/requirements.txt onnxruntime-gpu transformers
    python ../../deploy/models/export_sam2.py --size small --random-weights --out models/sam2
    python gpu_compare.py --models models/sam2 --size small --frames 300
    python gpu_compare.py --models models/sam2 --size small --tensorrt --fp16 --trt-cache /tmp/trt --mem-limit-mib 16384

    python gpu_compare.py --reference-only --size small --frames 300   # the PyTorch half alone

Prints per-graph latency (ms) and frames per second of both; goals from issue 5: hiera-small >= 60 fps on one H100
and at least as fast as the PyTorch reference. Only the reference half has run (H100, transformers 5.17:
docs/benchmarks.md "On a GPU"); the ONNX Runtime half needs onnxruntime-gpu for the machine's CUDA.
"""
import argparse
import os
import time

import numpy as np


def providers(device, mem_limit_mib=None, tensorrt=False, fp16=False, trt_cache=None):
    """The execution providers with the options the engine hands them (Sam2Models.cudaOptions / tensorrtOptions)."""
    cuda = {"device_id": device}
    if mem_limit_mib:
        cuda["gpu_mem_limit"] = mem_limit_mib * 1024 * 1024
    chain = [("CUDAExecutionProvider", cuda), "CPUExecutionProvider"]
    if tensorrt:
        trt = {"device_id": device, "trt_fp16_enable": fp16}
        if trt_cache:
            trt.update(trt_engine_cache_enable=True, trt_engine_cache_path=trt_cache)
        chain.insert(0, ("TensorrtExecutionProvider", trt))
    return chain


def ort_loop(models, size, precision, frames, device, chain=None):
    import onnxruntime as ort
    folder = os.path.join(models, f"{size}-{precision}")
    providers = chain or [("CUDAExecutionProvider", {"device_id": device}), "CPUExecutionProvider"]
    s = {n: ort.InferenceSession(os.path.join(folder, n + ".onnx"), providers=providers)
         for n in ["image_encoder", "prompt_decoder", "memory_attention", "memory_encoder", "constants"]}
    no_mem, no_ptr = s["constants"].run(None, {})
    batched = len(s["memory_attention"].get_inputs()[1].shape) == 5  # exports before batching: mem [M,Cm,G,G]
    image = np.random.rand(1, 3, 1024, 1024).astype(np.float32)
    feat, hr0, hr1 = s["image_encoder"].run(None, {"image": image})
    c, g = feat.shape[1], feat.shape[2]
    r = 4 * g
    mems, ptrs = [], []
    times = {k: 0.0 for k in ["image_encoder", "memory_attention", "prompt_decoder", "memory_encoder"]}

    def timed(name, fn):
        t = time.perf_counter()
        out = fn()
        times[name] += time.perf_counter() - t
        return out

    start = time.perf_counter()
    for f in range(frames):
        feat, hr0, hr1 = timed("image_encoder", lambda: s["image_encoder"].run(None, {"image": image}))
        if f == 0:
            embed = feat + no_mem.reshape(1, c, 1, 1)
            coords = np.array([[[400, 400], [600, 600]]], np.float32)
            labels = np.array([[2, 3]], np.float32)
        else:
            mem = np.concatenate(mems[-7:]).astype(np.float32)
            slots = np.array([6] + list(range(len(mems[-7:]) - 1))[::-1], np.int64)
            p = np.concatenate(ptrs[-16:]).astype(np.float32)
            tpos = np.arange(len(p), 0, -1).astype(np.float32)
            if batched:  # mem [B,M,Cm,G,G]: one object here
                mem, slots, p, tpos = mem[None], slots[None], p[None], tpos[None]
            embed = timed("memory_attention", lambda: s["memory_attention"].run(None, {
                "curr": feat, "mem": mem, "mem_slot": slots, "ptrs": p, "ptr_tpos": tpos})[0])
            coords = np.zeros((1, 1, 2), np.float32)
            labels = -np.ones((1, 1), np.float32)
        masks, iou, obj_ptrs, score = timed("prompt_decoder", lambda: s["prompt_decoder"].run(None, {
            "image_embed": embed, "hr0": hr0, "hr1": hr1, "point_coords": coords, "point_labels": labels,
            "mask_input": np.zeros((1, 1, r, r), np.float32), "has_mask": np.zeros(1, np.float32)}))
        best = 1 + int(np.argmax(iou[0, 1:]))
        mem_out = timed("memory_encoder", lambda: s["memory_encoder"].run(None, {
            "vision_feat": feat, "low_res_mask": masks[:, best:best + 1], "binarize": np.ones((1, 1), np.float32),
            "obj_score": score})[0])
        mems.append(mem_out)
        ptrs.append(obj_ptrs[:, best])
    total = time.perf_counter() - start
    return frames / total, {k: 1000 * v / frames for k, v in times.items()}


# Hiera trunk per size, as SAM2.1's configs give it; everything else is the same in every size
HIERA = {
    "tiny": {"blocks_per_stage": [1, 2, 7, 2], "global_attention_blocks": [5, 7, 9]},
    "small": {"blocks_per_stage": [1, 2, 11, 2], "global_attention_blocks": [7, 10, 13]},
}


def torch_loop(size, frames, device):
    import torch
    from transformers import Sam2VideoConfig, Sam2VideoModel
    from transformers import Sam2VideoProcessor, Sam2ImageProcessorFast, Sam2VideoVideoProcessor
    config = Sam2VideoConfig()  # the defaults are hiera-tiny's
    config.vision_config.backbone_config.update(HIERA[size])
    model = Sam2VideoModel(config).to(f"cuda:{device}").eval()
    video = torch.rand(frames, 3, 1024, 1024, device=f"cuda:{device}")
    from transformers.models.sam2_video.modeling_sam2_video import Sam2VideoInferenceSession
    # dtype as a torch.dtype: the session's string default fails in Tensor.to (transformers 5.17)
    session = Sam2VideoInferenceSession(video=video, video_height=1024, video_width=1024,
                                        inference_device=f"cuda:{device}", video_storage_device=f"cuda:{device}",
                                        dtype=torch.float32)
    processor = Sam2VideoProcessor(image_processor=Sam2ImageProcessorFast(), video_processor=Sam2VideoVideoProcessor())
    processor.add_inputs_to_inference_session(inference_session=session, frame_idx=0, obj_ids=1,
                                              input_boxes=[[[400., 400., 600., 600.]]], original_size=(1024, 1024))
    torch.cuda.synchronize()
    start = time.perf_counter()
    with torch.inference_mode():
        model(inference_session=session, frame_idx=0)  # the prompted frame, as the engine's first step
        for _ in model.propagate_in_video_iterator(session, start_frame_idx=0):
            pass
    torch.cuda.synchronize()
    return frames / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--models", default="models/sam2")
    p.add_argument("--size", default="small")
    p.add_argument("--precision", default="fp32")
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--device", type=int, default=0)
    p.add_argument("--mem-limit-mib", type=int, help="CUDA gpu_mem_limit, as fleet.processor.sam2.cuda-memory-limit-mib")
    p.add_argument("--tensorrt", action="store_true", help="TensorRT in front of CUDA, as fleet.processor.sam2.tensorrt")
    p.add_argument("--fp16", action="store_true", help="TensorRT fp16 engines, as fleet.processor.sam2.tensorrt-fp16")
    p.add_argument("--trt-cache", help="TensorRT engine cache directory, as fleet.processor.sam2.tensorrt-cache-dir")
    p.add_argument("--reference-only", action="store_true", help="only the PyTorch reference (no onnxruntime-gpu)")
    a = p.parse_args()
    if a.reference_only:
        print(f"PyTorch Sam2VideoModel {a.size} (random weights): {torch_loop(a.size, a.frames, a.device):.1f} fps")
        return
    chain = providers(a.device, a.mem_limit_mib, a.tensorrt, a.fp16, a.trt_cache)
    fps, per_graph = ort_loop(a.models, a.size, a.precision, a.frames, a.device, chain)
    print(f"ONNX Runtime {'TensorRT' + (' fp16' if a.fp16 else '') + '+' if a.tensorrt else ''}CUDA, "
          f"{a.size}-{a.precision}: {fps:.1f} fps; " +
          ", ".join(f"{k} {v:.2f} ms" for k, v in per_graph.items()))
    print(f"PyTorch Sam2VideoModel (random weights, same GPU): {torch_loop(a.size, a.frames, a.device):.1f} fps")


if __name__ == "__main__":
    main()
