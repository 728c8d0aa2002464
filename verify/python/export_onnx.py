#!/usr/bin/env python3
"""Export a GhostNet checkpoint to ONNX (opset 13) for the ONNX Runtime peer comparison.

The graph has one input "input" (float32 N x 3 x H x W) and one output "logits" (N x classes), with a
dynamic batch axis; H and W are fixed at export (GhostNet's global pooling would allow any size, but
fixed spatial sizes let ONNX Runtime specialise its kernels, like the Java engine does).

Works with torch alone: torch.onnx.export in 1.13 serialises the protobuf itself and does not need the
`onnx` Python package. With neither onnx nor onnxruntime available the file is not re-loaded here;
the Java side compares ONNX Runtime's logits with PyTorch's.

  /usr/bin/python3 export_onnx.py --weights model.pth --out model.onnx --height 224 --width 224 --batch 1
"""

import argparse
import sys

import torch

import ghostnet


def load_state_dict(path):
    """A state dict from a torch.save file, also when wrapped ({"state_dict": ...}) or carrying thop
    leftovers (total_ops / total_params keys)."""
    obj = torch.load(path, map_location="cpu")
    if isinstance(obj, dict) and "state_dict" in obj and isinstance(obj["state_dict"], dict):
        obj = obj["state_dict"]
    return {k: v for k, v in obj.items() if not k.endswith(("total_ops", "total_params"))}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True, help="checkpoint written by torch.save (zip or legacy)")
    p.add_argument("--out", required=True, help="ONNX file to write")
    p.add_argument("--height", type=int, default=224)
    p.add_argument("--width", type=int, default=224, help="input width in pixels (not the multiplier)")
    p.add_argument("--batch", type=int, default=1, help="batch of the example input; the axis stays dynamic")
    p.add_argument("--width-mult", type=float, default=None,
                   help="GhostNet width multiplier; inferred from the tensor shapes when omitted")
    p.add_argument("--opset", type=int, default=13)
    args = p.parse_args(argv)

    torch.set_num_threads(1)
    model = ghostnet.model_from_state_dict(load_state_dict(args.weights), args.width_mult)
    example = torch.randn(args.batch, 3, args.height, args.width, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        torch.onnx.export(
            model, example, args.out,
            opset_version=args.opset,
            input_names=["input"], output_names=["logits"],
            dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
            do_constant_folding=True,
        )
    print(f"wrote {args.out} (width {model.width}, {model.classifier.out_features} classes, "
          f"{args.height}x{args.width}, opset {args.opset})", file=sys.stderr)
    _verify(args.out, model, example)


def _verify(path, model, example):
    try:
        import onnxruntime
    except ImportError:
        print("onnxruntime (Python) not available: not re-checked here", file=sys.stderr)
        return
    session = onnxruntime.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = session.run(["logits"], {"input": example.numpy()})[0]
    with torch.no_grad():
        want = model(example).numpy()
    err = abs(got - want).max()
    print(f"onnxruntime vs torch: max abs logits difference {err:.2e}", file=sys.stderr)
    if err > 1e-3:
        sys.exit(f"ONNX export does not match PyTorch (max abs difference {err})")


if __name__ == "__main__":
    main()
