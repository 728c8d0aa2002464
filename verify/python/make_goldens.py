#!/usr/bin/env python3
"""Write golden files for the Java parity tests: one seeded, calibrated GhostNet, its checkpoint in every
supported format, and for each input case the input and every stage's output in float32 and float64.

--version v2 writes GhostNetV2 (DFC attention) instead of v1.

Layout of --out DIR (manifest.json describes all of it, with paths relative to DIR):
  model.pth             torch.save(state_dict), zip format
  model_legacy.pth      the same, _use_new_zipfile_serialization=False
  model.safetensors     the same, safetensors (num_batches_tracked as I64, shape [])
  <case>/input.npy      float32 NCHW, standard normal; <case> is b<B>_<H>x<W>, e.g. b1_224x224
  <case>/<stage>.fp32.npy, <case>/<stage>.fp64.npy
                        NCHW for feature maps, (N, C) for pooled/head/logits. fp64 is the same weights
                        and the same (float32) input, computed in float64: the "exact" answer.

Same arguments give byte-identical files. Example:
  /usr/bin/python3 make_goldens.py --out /tmp/g --width 1.0 --case 1x224x224 --case 3x193x255

With --weights the model is that checkpoint (width inferred unless given) and no checkpoints are written;
with --input the single case is that array instead of a seeded one (`ghostnet verify` uses both).
"""

import argparse
import copy
import json
import os
import re
import sys
import time

import numpy as np
import torch

import formats
import ghostnet


def parse_case(text):
    match = re.fullmatch(r"(\d+)x(\d+)x(\d+)", text)
    if not match:
        raise argparse.ArgumentTypeError(f"expected BATCHxHEIGHTxWIDTH, e.g. 1x224x224, got {text!r}")
    batch, height, width = (int(g) for g in match.groups())
    if min(batch, height, width) < 1:
        raise argparse.ArgumentTypeError(f"sizes must be positive: {text!r}")
    return batch, height, width


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="output directory (created if missing)")
    p.add_argument("--width", "--width-mult", dest="width", type=float, default=None,
                   help="GhostNet width multiplier (published: 0.5, 1.0, 1.3); default 1.0, or inferred "
                        "from --weights")
    p.add_argument("--classes", type=int, default=1000, help="number of classes; default 1000")
    p.add_argument("--version", choices=("v1", "v2"), default="v1",
                   help="GhostNet v1, or GhostNetV2 with DFC attention (timm's keys); default v1, or inferred "
                        "from --weights")
    p.add_argument("--seed", type=int, default=0, help="seed for weights and inputs; default 0")
    p.add_argument("--batch", type=int, default=1, help="batch of the single case (see --case); default 1")
    p.add_argument("--height", type=int, default=224, help="input height of the single case; default 224")
    p.add_argument("--width-px", type=int, default=224, help="input width of the single case; default 224")
    p.add_argument("--case", dest="cases", action="append", type=parse_case, metavar="BxHxW",
                   help="an input case, repeatable (e.g. --case 1x224x224 --case 3x193x255); "
                        "when given, --batch/--height/--width-px are ignored")
    p.add_argument("--no-fp64", action="store_true",
                   help="do not write the float64 stage files (about half the disk); the fp32-vs-fp64 "
                        "errors are still computed and recorded in the manifest")
    p.add_argument("--weights", help="use this checkpoint (torch.save zip or legacy, or .safetensors) instead of "
                                      "seeded weights; checkpoints are then not written")
    p.add_argument("--input", help="float32 NCHW .npy input: the single case (overrides --case and --batch/...)")
    p.add_argument("--debug", action="store_true", help="print per-stage statistics and errors")
    args = p.parse_args(argv)
    if args.input:
        args.input_array = np.load(args.input, allow_pickle=False)
        shape = args.input_array.shape
        if len(shape) != 4 or shape[1] != 3:
            p.error(f"--input {args.input}: expected an NCHW array with 3 channels, got shape {shape}")
        args.cases = [(shape[0], shape[2], shape[3])]
    if not args.cases:
        args.cases = [(args.batch, args.height, args.width_px)]
    return args


def load_weights(path):
    if path.endswith(".safetensors"):
        state_dict = formats.load_safetensors(path)
    else:
        obj = torch.load(path, map_location="cpu")
        if isinstance(obj, dict) and isinstance(obj.get("state_dict"), dict):
            obj = obj["state_dict"]
        state_dict = obj
    return {k: v for k, v in state_dict.items() if not k.endswith(("total_ops", "total_params"))}


def case_name(batch, height, width):
    return f"b{batch}_{height}x{width}"


def make_input(seed, batch, height, width):
    """Standard normal NCHW input. A fresh generator per case, so for one H x W the first image of a
    batch-3 case equals the batch-1 image (lets the Java side test batch independence too)."""
    generator = torch.Generator().manual_seed(seed + 1)
    return torch.randn(batch, 3, height, width, generator=generator, dtype=torch.float32)


def compare(fp32, fp64):
    diff = (fp32.double() - fp64).abs()
    scale = fp64.abs().max().item()
    return {
        "max_abs_err": diff.max().item(),
        "max_rel_err": diff.max().item() / scale if scale > 0 else 0.0,
        "max_abs": scale,
        "std": fp64.std().item() if fp64.numel() > 1 else 0.0,
    }


def write_case(out_dir, model32, model64, seed, batch, height, width, write_fp64, debug, given=None):
    name = case_name(batch, height, width)
    case_dir = os.path.join(out_dir, name)
    os.makedirs(case_dir, exist_ok=True)
    x = make_input(seed, batch, height, width) if given is None else torch.from_numpy(
        np.ascontiguousarray(given, dtype=np.float32))
    formats.save_npy(x.numpy(), os.path.join(case_dir, "input.npy"))
    with torch.no_grad():
        stages32 = model32.forward_stages(x)
        stages64 = model64.forward_stages(x.double())
    stages = []
    for stage, t32 in stages32.items():
        t64 = stages64[stage]
        files = {}
        for suffix, tensor in (("fp32", t32), ("fp64", t64))[:2 if write_fp64 else 1]:
            files[suffix] = f"{name}/{stage}.{suffix}.npy"
            formats.save_npy(tensor.numpy(), os.path.join(out_dir, files[suffix]))
        stats = compare(t32, t64)
        stages.append({"name": stage, "shape": list(t32.shape), **files, **stats})
        if debug:
            print(f"  {name} {stage:<11} {str(tuple(t32.shape)):<19} std {stats['std']:7.3f}  "
                  f"max|x| {stats['max_abs']:8.3f}  fp32-fp64 abs {stats['max_abs_err']:.2e} "
                  f"rel {stats['max_rel_err']:.2e}", file=sys.stderr)
    return {
        "name": name, "batch": batch, "height": height, "width": width,
        "input": f"{name}/input.npy", "input_seed": seed + 1 if given is None else None, "stages": stages,
    }


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    os.makedirs(args.out, exist_ok=True)

    t0 = time.perf_counter()
    if args.weights:
        model32 = ghostnet.model_from_state_dict(load_weights(args.weights), args.width)
        args.width, args.classes, args.version = model32.width, model32.classifier.out_features, model32.version
        state_dict = model32.state_dict()
        weights = {"given": os.path.abspath(args.weights)}
    else:
        args.width = 1.0 if args.width is None else args.width
        model32 = ghostnet.make_model(args.width, args.classes, args.seed, args.version)
        state_dict = model32.state_dict()
        weights = {"zip": "model.pth", "legacy": "model_legacy.pth", "safetensors": "model.safetensors"}
        formats.save_zip(state_dict, os.path.join(args.out, weights["zip"]))
        formats.save_legacy(state_dict, os.path.join(args.out, weights["legacy"]))
        formats.save_safetensors(state_dict, os.path.join(args.out, weights["safetensors"]))
    model64 = copy.deepcopy(model32).double()
    t_model = time.perf_counter() - t0
    print(f"model {args.version} width {args.width}, {args.classes} classes, seed {args.seed}: {t_model:.2f} s", file=sys.stderr)

    cases = []
    for batch, height, width in args.cases:
        t1 = time.perf_counter()
        cases.append(write_case(args.out, model32, model64, args.seed, batch, height, width,
                                not args.no_fp64, args.debug, getattr(args, "input_array", None)))
        print(f"case {cases[-1]['name']}: {time.perf_counter() - t1:.2f} s", file=sys.stderr)

    manifest = {
        "format": "ghostnet-goldens/1",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "model": {
            "arch": f"ghostnet_{args.version}",
            "width": args.width,
            "classes": args.classes,
            "seed": args.seed,
            "parameters": ghostnet.count_params(model32),
            "bn_eps": 1e-5,
            "calibration": "BN running stats = cumulative average over 2 batches of 4 standard-normal "
                           "160x160 inputs in train mode; gamma ~ U(0.5, 1.5), beta ~ N(0, 0.2); "
                           "classifier rows orthogonal to the mean head vector, logits std ~1",
        },
        "weights": weights,
        "state_dict": [{"name": k, "dtype": str(v.dtype).replace("torch.", ""), "shape": list(v.shape)}
                       for k, v in state_dict.items()],
        "stages": ghostnet.stage_names(model32),
        "features": {str(stride): stage for stride, stage in ghostnet.FEATURE_STAGES.items()},
        "layout": "feature maps NCHW; pooled, head, logits (N, C); errors: fp32 vs fp64, "
                  "max_rel_err = max_abs_err / max|fp64|",
        "cases": cases,
    }
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"total {time.perf_counter() - t0:.2f} s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
