#!/usr/bin/env python3
"""PyTorch CPU baseline for the benchmarks: GhostNet as TorchScript, traced, frozen and optimised for
inference (the fastest way PyTorch 1.13 runs it on a CPU), on a fixed number of intra-op threads.

Reports per-iteration latency (median, p10, p90, min; per batch and per image), the time from process start
to the first logits (imports, loading, tracing, freezing and the first run included), peak RSS, and the
logits of the benchmarked input so they can be compared with the Java engine's.

  /usr/bin/python3 bench_torch.py --weights model.pth --threads 1 --batch 1 --iters 100 --warmup 20 --json \
      --input b1_224x224/input.npy --logits-out torch_logits.npy
"""

import time

SCRIPT_START = time.perf_counter()

import argparse
import json
import os
import resource
import sys
import warnings

import numpy as np
import torch

import ghostnet
from export_onnx import load_state_dict

IMPORTED = time.perf_counter()

# optimize_for_inference's oneDNN convolutions pad channel counts that are not multiples of 8 (72, 120,
# ...) and resize their output buffers on every call; PyTorch warns about each. The results are right
# (the logits match the eager model to ~2e-6), so the warning is only noise here.
warnings.filterwarnings("ignore", message="An output with one or more elements was resized")


def seconds_since_process_start():
    """Wall time since the kernel started this process (10 ms resolution: clock ticks)."""
    with open("/proc/self/stat") as f:
        # Field 22 (starttime); split after the parenthesised command name, which may contain spaces.
        fields = f.read().rsplit(")", 1)[1].split()
    start_ticks = int(fields[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def percentile(sorted_values, q):
    """Linear-interpolated percentile of an already sorted list (numpy's default definition)."""
    return float(np.percentile(np.asarray(sorted_values), q))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--weights", required=True, help="checkpoint written by torch.save (zip or legacy)")
    p.add_argument("--threads", type=int, default=1, help="intra-op threads (torch.set_num_threads)")
    p.add_argument("--batch", type=int, default=1, help="batch size (ignored with --input)")
    p.add_argument("--height", type=int, default=224, help="input height (ignored with --input)")
    p.add_argument("--width", type=int, default=224, help="input width in pixels (ignored with --input)")
    p.add_argument("--width-mult", type=float, default=None,
                   help="GhostNet width multiplier; inferred from the tensor shapes when omitted")
    p.add_argument("--iters", type=int, default=100, help="timed iterations")
    p.add_argument("--warmup", type=int, default=20, help="untimed iterations first")
    p.add_argument("--input", help="float32 NCHW .npy to run (its shape sets batch and size); "
                                   "default: seeded standard-normal input")
    p.add_argument("--logits-out", help="write the logits of the input to this .npy")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = p.parse_args(argv)

    torch.set_num_threads(args.threads)
    torch.set_grad_enabled(False)
    if args.input:
        x = torch.from_numpy(np.load(args.input).astype(np.float32, copy=False))
        if x.dim() != 4 or x.shape[1] != 3:
            sys.exit(f"--input must be N x 3 x H x W, got {tuple(x.shape)}")
    else:
        x = torch.randn(args.batch, 3, args.height, args.width, generator=torch.Generator().manual_seed(0))
    batch = x.shape[0]

    t_load = time.perf_counter()
    model = ghostnet.model_from_state_dict(load_state_dict(args.weights), args.width_mult)
    t_compile = time.perf_counter()
    traced = torch.jit.trace(model.eval(), x)
    module = torch.jit.optimize_for_inference(torch.jit.freeze(traced.eval()))
    t_first = time.perf_counter()
    logits = module(x)
    t_done = time.perf_counter()
    first_from_script = time.perf_counter() - SCRIPT_START
    first_from_process = seconds_since_process_start()

    for _ in range(args.warmup):
        module(x)
    times = []
    for _ in range(args.iters):
        t0 = time.perf_counter()
        module(x)
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()

    logits_np = logits.numpy()
    if args.logits_out:
        np.save(args.logits_out, logits_np, allow_pickle=False)

    median, p10, p90, fastest = percentile(times, 50), percentile(times, 10), percentile(times, 90), times[0]
    result = {
        "engine": "pytorch-torchscript-frozen-optimized",
        "torch_version": torch.__version__,
        "threads": args.threads,
        "batch": batch,
        "input_shape": list(x.shape),
        "width_mult": model.width,
        "classes": model.classifier.out_features,
        "iters": args.iters,
        "warmup": args.warmup,
        "ms_per_batch": {"median": median, "p10": p10, "p90": p90, "min": fastest},
        "ms_per_image": {"median": median / batch, "p10": p10 / batch, "p90": p90 / batch,
                         "min": fastest / batch},
        "first_logits_ms": {"from_process_start": first_from_process * 1e3,
                            "from_script_start": first_from_script * 1e3,
                            "imports": (IMPORTED - SCRIPT_START) * 1e3,
                            "load_weights": (t_compile - t_load) * 1e3,
                            "trace_freeze_optimize": (t_first - t_compile) * 1e3,
                            "first_run": (t_done - t_first) * 1e3},
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
        "argmax": logits_np.argmax(axis=1).tolist(),
        "times_ms": times,
    }
    if args.input:
        result["logits"] = logits_np.tolist()
    if args.json:
        json.dump(result, sys.stdout)
        sys.stdout.write("\n")
    else:
        print(f"{result['engine']} torch {torch.__version__}, {args.threads} thread(s), input {tuple(x.shape)}")
        print(f"per batch: median {median:.3f} ms, p90 {p90:.3f} ms, min {fastest:.3f} ms "
              f"({args.iters} iterations after {args.warmup} warm-up)")
        print(f"per image: median {median / batch:.3f} ms")
        print(f"first logits {first_from_process * 1e3:.0f} ms after process start, "
              f"peak RSS {result['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
