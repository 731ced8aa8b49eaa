#!/usr/bin/env python3
"""PyTorch reference for bench/sam2/run.sh on a CPU: the same SAM2.1 modules the export writes (export_sam2.graphs,
same seed, random weights), run eagerly in PyTorch with the tensors of one tracked object's steady-state frame
(7 memories, 16 object pointers), timed per graph. Compare with Sam2Bench on the exported graphs in the same run.

    PYTHONPATH=<sam2 sources> python3 torch_reference.py --size tiny --frames 10 --threads 2

With Debian's python3-torch, install libopenblas0-pthread: its build links the generic BLAS, which is ~40x slower
and would make the reference meaningless.
"""
import argparse
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "models"))
import export_sam2  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", choices=list(export_sam2.CONFIGS), default="tiny")
    p.add_argument("--frames", type=int, default=10)
    p.add_argument("--threads", type=int, default=2, help="intra-op threads, as ONNX Runtime's in Sam2Bench")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = export_sam2.build(a.size, None)
    files = export_sam2.graphs(model)
    with torch.no_grad():
        image = files["image_encoder"][1][0]
        feat, hr0, hr1 = files["image_encoder"][0](image)
        c, g = feat.shape[1], feat.shape[-1]
        cm = files["memory_attention"][1][1].shape[2]  # mem [B, M, Cm, G, G]
        r = 4 * g
        steady = {
            "image_encoder": (image,),
            "memory_attention": (feat, torch.randn(1, 7, cm, g, g), torch.tensor([[6, 5, 4, 3, 2, 1, 0]]),
                                 torch.randn(1, 16, c), torch.arange(16, 0, -1).float()[None]),
            "prompt_decoder": (feat, hr0, hr1, torch.zeros(1, 1, 2), -torch.ones(1, 1), torch.zeros(1, 1, r, r),
                               torch.zeros(1)),
            "memory_encoder": (feat, torch.randn(1, 1, r, r), torch.ones(1, 1), torch.ones(1, 1)),
        }
        print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, SAM2.1-{a.size} random weights, "
              f"{image.shape[-1]} input, {a.frames} frames")
        total = 0.0
        for name, args in steady.items():
            module = files[name][0].eval()
            module(*args)  # warm-up
            start = time.perf_counter()
            for _ in range(a.frames):
                module(*args)
            ms = (time.perf_counter() - start) * 1000 / a.frames
            total += ms
            print(f"  {name:18s} {ms:9.1f} ms")
        print(f"  one object, one frame: {total:.1f} ms = {1000 / total:.2f} fps")


if __name__ == "__main__":
    main()
