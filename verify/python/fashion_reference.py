"""PyTorch's logits for the Fashion-MNIST test images: the reference of the real-data parity test.

Each 28x28 grey test image goes through torchvision's evaluation transform as the model's config.json
describes it (PIL image converted to RGB, Resize(floor(size / crop_pct)), CenterCrop(size), ToTensor,
Normalize(mean, std)), then through the checkpoint's GhostNet (float16/bfloat16 tensors widened to
float32, as the engine widens them) in float32 and in float64.

    /usr/bin/python3 fashion_reference.py --weights models/fashion-ghostnet/model.safetensors --out DIR

writes DIR/logits32.npy and DIR/logits64.npy (N x classes) and prints the accuracy of both.
"""

import argparse
import json
import math
import os
import sys

import numpy as np
import torch
import torchvision.transforms as T
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from formats import load_safetensors  # noqa: E402
from ghostnet import model_from_state_dict  # noqa: E402
from train_fashion import DEFAULT_DATA, load_split  # noqa: E402

FILTERS = {"bilinear": T.InterpolationMode.BILINEAR, "bicubic": T.InterpolationMode.BICUBIC}


def transform(config):
    cfg = config["pretrained_cfg"]
    size = cfg["input_size"][1]
    return T.Compose([T.Resize(math.floor(size / cfg["crop_pct"]), interpolation=FILTERS[cfg["interpolation"]]),
                      T.CenterCrop(size), T.ToTensor(), T.Normalize(cfg["mean"], cfg["std"])])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weights", required=True, help="safetensors checkpoint, config.json beside it")
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--out", required=True)
    parser.add_argument("--limit", type=int, default=0, help="only the first N test images")
    args = parser.parse_args()
    torch.set_num_threads(1)

    with open(os.path.join(os.path.dirname(args.weights), "config.json")) as f:
        config = json.load(f)
    state = {k: v.float() if v.is_floating_point() else v for k, v in load_safetensors(args.weights).items()}
    model = model_from_state_dict(state)
    images, labels = load_split(args.data, "t10k")
    if args.limit:
        images, labels = images[:args.limit], labels[:args.limit]
    prep = transform(config)
    x = torch.stack([prep(Image.fromarray(image, mode="L").convert("RGB")) for image in images])

    os.makedirs(args.out, exist_ok=True)
    with torch.no_grad():
        logits32 = torch.cat([model(x[i:i + 500]) for i in range(0, len(x), 500)]).numpy()
        model64, x64 = model.double(), x.double()
        logits64 = torch.cat([model64(x64[i:i + 500]) for i in range(0, len(x), 500)]).numpy()
    np.save(os.path.join(args.out, "logits32.npy"), logits32.astype(np.float32))
    np.save(os.path.join(args.out, "logits64.npy"), logits64.astype(np.float64))
    for name, logits in (("float32", logits32), ("float64", logits64)):
        print(f"torch {name}: accuracy {(logits.argmax(1) == labels).mean() * 100:.2f}% on {len(labels)} images")


if __name__ == "__main__":
    main()
