#!/usr/bin/env python3
"""Test data for BicubicResamplerTest: what Pillow's Image.resize(size) (default filter: BICUBIC) makes of synthetic
RGB frames, the way SAM2's reference predictor resizes its frames (sam2/utils/misc.py, _load_img_as_tensor).

Regenerate (Debian: python3-pil python3-numpy; this data was made with Pillow 9.4.0, numpy 1.24.2):
    /usr/bin/python3 frame-processor/src/test/resources/sam2/pil-resize/make.py

Writes into this folder, per case NAME: NAME-source.png (the input), NAME-pil.png (Pillow's output, cropped to the
rows the case lists to keep the files small) and cases.txt, one line per case:
    NAME source_width source_height target_width target_height first_row row_count
"""
import os

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
# (name, source size, target size, target rows kept: first, count)
CASES = [
    ("odd", (257, 131), (64, 200), (0, 200)),       # down in x, up in y, odd sizes
    ("tiny", (37, 23), (333, 17), (0, 17)),         # strong upscaling in x, slight downscaling in y
    ("half", (96, 80), (48, 80), (0, 80)),          # x only: y keeps its size
    ("same", (50, 40), (50, 40), (0, 40)),          # no change: Pillow copies, the taps must be the identity
    ("down", (640, 480), (100, 75), (0, 75)),       # strong antialiasing on both axes
    ("vtest", (768, 576), (1024, 1024), (0, 1024)),  # vtest.avi's size, the whole output
    ("vga", (640, 480), (1024, 1024), (768, 256)),
    ("qvga", (320, 240), (1024, 1024), (0, 256)),
    ("hd", (1280, 720), (1024, 1024), (640, 384)),
    ("fullhd", (1920, 1080), (1024, 1024), (800, 224)),
]


def source(width, height, seed):
    """Gradients, saturated shapes (the kernel overshoots at their edges), fine stripes and a patch of noise."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    img = np.stack([x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), (x + 2 * y) % 256], axis=-1)
    img = img.astype(np.uint8)
    img[height // 8:height // 3, width // 10:width // 2] = (255, 0, 255)
    img[height // 2:height * 3 // 4, width // 3:width * 2 // 3] = (0, 0, 0)
    img[height // 2 + 2:height * 3 // 4 - 2, width // 3 + 2:width * 2 // 3 - 2] = (255, 255, 255)
    stripes = slice(height * 3 // 4, height), slice(0, width // 3)
    img[stripes] = np.where(((x[stripes] // (1 + x[stripes] // 64)) % 2)[..., None] == 1, 255, 0)
    nh, nw = max(height // 5, 2), max(width // 5, 2)
    img[height - nh:, width - nw:] = rng.integers(0, 256, (nh, nw, 3), dtype=np.uint8)
    return img


def main():
    lines = []
    for seed, (name, (sw, sh), (tw, th), (first, count)) in enumerate(CASES):
        img = Image.fromarray(source(sw, sh, seed), "RGB")
        img.save(os.path.join(HERE, f"{name}-source.png"), optimize=True)
        out = img.resize((tw, th))
        out.crop((0, first, tw, first + count)).save(os.path.join(HERE, f"{name}-pil.png"), optimize=True)
        lines.append(f"{name} {sw} {sh} {tw} {th} {first} {count}")
    with open(os.path.join(HERE, "cases.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
