"""Train a GhostNet on Fashion-MNIST (real photographs of clothing, 10 classes) on the CPU, deterministically.

The result is what the command line uses by default: an fp16 safetensors checkpoint with timm's key
layout, a timm-style ``config.json`` beside it (``num_classes``, ``label_names``, ``pretrained_cfg``) and the
checkpoint's sha256. The evaluation transform is the one the config describes and the engine applies:
PIL ``Resize(32, bilinear)`` of the 28x28 grey image, the grey channel replicated to RGB, ``ToTensor`` and
``Normalize(mean, std)``. Training adds a random 32x32 crop of the image padded by 2 black pixels and a
horizontal flip.

Deterministic: a fixed seed, one torch thread (more threads reorder float sums), deterministic algorithms,
the data order from a seeded generator. The same torch version on the same CPU kind gives the same bytes.

    /usr/bin/python3 train_fashion.py --out ../../models/fashion-ghostnet      # ~8 epochs, see README
"""

import argparse
import gzip
import hashlib
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from formats import save_safetensors, load_safetensors  # noqa: E402
from ghostnet import GhostNet, model_from_state_dict  # noqa: E402

LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SIZE = 32
# Mean and std of the training pixels (0..1), the same for the three replicated channels.
MEAN = 0.2860
STD = 0.3530
DEFAULT_DATA = os.environ.get("GHOSTNET_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")


def read_idx(path):
    """An IDX file (optionally gzipped) as a numpy array: magic 0x0000 type ndim, big-endian sizes, data."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    zero, dtype, ndim = struct.unpack_from(">HBB", raw, 0)
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack_from(">" + "I" * ndim, raw, 4)
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path}: {data.size} bytes of data for shape {shape}")
    return data.reshape(shape)


def load_split(data_dir, split):
    images = read_idx(os.path.join(data_dir, f"{split}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{split}-labels-idx1-ubyte.gz"))
    return images, labels.astype(np.int64)


def resize_all(images):
    """PIL's bilinear resize of every 28x28 image to SIZE x SIZE, as uint8 (what ToTensor sees)."""
    out = np.empty((len(images), SIZE, SIZE), dtype=np.uint8)
    for i, image in enumerate(images):
        out[i] = np.asarray(Image.fromarray(image, mode="L").resize((SIZE, SIZE), Image.BILINEAR))
    return out


def normalise(grey_uint8):
    """N x H x W uint8 -> N x 3 x H x W float32, ToTensor then Normalize, grey replicated to RGB."""
    x = torch.from_numpy(grey_uint8).float().div_(255.0).sub_(MEAN).div_(STD)
    return x.unsqueeze(1).expand(-1, 3, -1, -1).contiguous()


def augment(batch_uint8, generator):
    """Random 32x32 crop of the image padded by 2 (black) pixels, and a random horizontal flip."""
    n = batch_uint8.shape[0]
    padded = F.pad(batch_uint8, (2, 2, 2, 2))
    dx = torch.randint(0, 5, (n,), generator=generator)
    dy = torch.randint(0, 5, (n,), generator=generator)
    flip = torch.rand(n, generator=generator) < 0.5
    out = torch.empty_like(batch_uint8)
    for i in range(n):
        crop = padded[i, dy[i]:dy[i] + SIZE, dx[i]:dx[i] + SIZE]
        out[i] = crop.flip(-1) if flip[i] else crop
    return out


@torch.no_grad()
def evaluate(model, images, labels, batch=500):
    model.eval()
    correct = 0
    for start in range(0, len(images), batch):
        logits = model(normalise(images[start:start + batch]))
        correct += (logits.argmax(1).numpy() == labels[start:start + batch]).sum()
    return correct / len(images)


def fp16_state_dict(model):
    """The state dict with every float tensor rounded to fp16 (integer counters kept)."""
    return {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}


def write_config(path, width, epochs):
    config = {
        "architecture": "ghostnet_050" if width == 0.5 else f"ghostnet (width {width})",
        "num_classes": len(LABELS),
        "num_features": 1280,
        "label_names": LABELS,
        "pretrained_cfg": {
            "tag": "fashion_mnist",
            "input_size": [3, SIZE, SIZE],
            "interpolation": "bilinear",
            "crop_pct": 1.0,
            "crop_mode": "center",
            "mean": [MEAN] * 3,
            "std": [STD] * 3,
            "num_classes": len(LABELS),
            "first_conv": "conv_stem",
            "classifier": "classifier",
            "license": "mit",
            "description": f"GhostNet width {width} trained {epochs} epochs on Fashion-MNIST (28x28 grey, "
                           f"resized to {SIZE}x{SIZE}, replicated to RGB) by verify/python/train_fashion.py",
        },
    }
    with open(path, "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA, help="directory of the four *-ubyte.gz IDX files")
    parser.add_argument("--out", required=True, help="directory for model.safetensors and config.json")
    parser.add_argument("--width", type=float, default=0.5, help="width multiplier")
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--lr", type=float, default=3e-3, help="peak learning rate of AdamW's one-cycle schedule")
    parser.add_argument("--weight-decay", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=1, help="torch threads (the bytes depend on it)")
    parser.add_argument("--limit", type=int, default=0, help="use only the first N images of each split (smoke test)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    torch.use_deterministic_algorithms(True)
    generator = torch.Generator().manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)

    t0 = time.perf_counter()
    train_raw, train_labels = load_split(args.data, "train")
    test_raw, test_labels = load_split(args.data, "t10k")
    if args.limit:
        train_raw, train_labels = train_raw[:args.limit], train_labels[:args.limit]
        test_raw, test_labels = test_raw[:args.limit], test_labels[:args.limit]
    train_images = torch.from_numpy(resize_all(train_raw))
    test_images = resize_all(test_raw)
    print(f"data: {len(train_images)} train, {len(test_images)} test images, resized in "
          f"{time.perf_counter() - t0:.1f} s", flush=True)

    model = GhostNet(num_classes=len(LABELS), width=args.width)
    steps_per_epoch = len(train_images) // args.batch
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, epochs=args.epochs,
                                                   steps_per_epoch=steps_per_epoch, pct_start=0.25)
    train_targets = torch.from_numpy(train_labels)
    checkpoint = os.path.join(args.out, "model.safetensors")
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        epoch_start = time.perf_counter()
        order = torch.randperm(len(train_images), generator=generator)
        loss_sum = 0.0
        for step in range(steps_per_epoch):
            index = order[step * args.batch:(step + 1) * args.batch]
            x = normalise(augment(train_images[index], generator).numpy())
            loss = F.cross_entropy(model(x), train_targets[index])
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()
            loss_sum += loss.item()
        accuracy = evaluate(model, test_images, test_labels)
        print(f"epoch {epoch}/{args.epochs}: loss {loss_sum / steps_per_epoch:.4f}, test accuracy "
              f"{accuracy * 100:.2f}%, {time.perf_counter() - epoch_start:.0f} s "
              f"(total {time.perf_counter() - start:.0f} s)", flush=True)
        # Every epoch, so that an interrupted run still leaves its latest model.
        save_safetensors(fp16_state_dict(model), checkpoint)

    write_config(os.path.join(args.out, "config.json"), args.width, args.epochs)
    fp16_model = model_from_state_dict({k: v.float() if v.is_floating_point() else v
                                        for k, v in load_safetensors(checkpoint).items()}, args.width)
    fp16_accuracy = evaluate(fp16_model, test_images, test_labels)
    digest = sha256(checkpoint)
    with open(checkpoint + ".sha256", "w") as f:
        f.write(f"{digest}  model.safetensors\n")
    print(f"trained in {time.perf_counter() - start:.0f} s; test accuracy fp32 {accuracy * 100:.2f}%, "
          f"fp16 checkpoint {fp16_accuracy * 100:.2f}%", flush=True)
    print(f"{checkpoint}: {os.path.getsize(checkpoint):,} bytes, sha256 {digest}", flush=True)


if __name__ == "__main__":
    main()
