"""Test fixtures for the Java checkpoint readers (run by the tests with /usr/bin/python3).

  make_checkpoints.py write OUT_DIR        writes checkpoints in every format plus expected_*.tsv
  make_checkpoints.py roundtrip IN OUT...  checks each .npy the Java side wrote, writes IN * 2 + 1 to OUT

A manifest line is: key, dtype, shape (comma-separated, empty for 0-d), hex of the dense
little-endian row-major bytes, separated by tabs, in state-dict order.
"""
import argparse
import collections
import json
import pickle
import struct
import sys

import numpy as np
import torch

SAFETENSORS_DTYPES = {
    torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8",
    torch.uint8: "U8", torch.bool: "BOOL",
}


def dense_bytes(t):
    t = t.detach().contiguous()
    if t.dtype == torch.bfloat16:  # numpy has no bfloat16: the same 2-byte elements, reinterpreted
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def state_dict():
    """Seeded tensors of several dtypes and shapes, including views that are not dense."""
    torch.manual_seed(1234)
    sd = collections.OrderedDict()
    sd["conv_stem.weight"] = torch.randn(4, 3, 3, 3)
    sd["bn1.weight"] = torch.rand(4) + 0.5
    sd["bn1.bias"] = torch.randn(4)
    sd["bn1.running_mean"] = torch.randn(4)
    sd["bn1.running_var"] = torch.rand(4) + 0.5
    sd["bn1.num_batches_tracked"] = torch.tensor(7, dtype=torch.int64)
    sd["classifier.weight"] = torch.randn(6, 5).t()  # transposed view: strides (1, 5)
    base = torch.randn(10)
    sd["shared.a"] = base[:4]  # two tensors on one storage, the second at an offset
    sd["shared.b"] = base[4:].view(2, 3)
    sd["strided.c"] = torch.randn(4, 6)[1:3, ::2]  # offset 6, strides (6, 2)
    sd["fc.param"] = torch.nn.Parameter(torch.randn(2, 2))
    sd["half"] = torch.randn(3).half()
    # Half-precision edge cases: signed zero, infinities, NaN, the largest half, subnormals, rounding.
    special = torch.tensor([0.0, -0.0, float("inf"), float("-inf"), float("nan"), 65504.0, 6e-8, -3e-5, 1 / 3,
                            1e-40, 3e38])
    sd["half_special"] = special.half()
    sd["bfloat"] = torch.randn(2, 3).bfloat16()
    sd["bfloat_special"] = special.bfloat16()
    sd["double"] = torch.randn(2, 2, dtype=torch.float64)
    sd["empty"] = torch.zeros(0, 3)
    sd["total_ops"] = torch.tensor([123.0], dtype=torch.float64)
    sd["total_params"] = torch.tensor([456.0], dtype=torch.float64)
    assert not sd["classifier.weight"].is_contiguous() and not sd["strided.c"].is_contiguous()
    return sd


def module_state_dict():
    torch.manual_seed(99)
    m = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3, bias=False), torch.nn.BatchNorm2d(4), torch.nn.Linear(2, 3))
    return m, m.state_dict()


def write_manifest(path, sd):
    with open(path, "w") as f:
        for k, v in sd.items():
            shape = ",".join(str(d) for d in v.shape)
            f.write(f"{k}\t{SAFETENSORS_DTYPES[v.dtype]}\t{shape}\t{dense_bytes(v).hex()}\n")


def write_safetensors(path, sd):
    header, chunks, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for k, v in sd.items():
        data = dense_bytes(v)
        header[k] = {"dtype": SAFETENSORS_DTYPES[v.dtype], "shape": list(v.shape),
                     "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # the reference writer pads the header with spaces to 8 bytes
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for c in chunks:
            f.write(c)


class _Storage:
    def __init__(self, pid):
        self.pid = pid


class _Tensor:
    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return torch._utils._rebuild_tensor_v2, self.args


def write_legacy_with_views(path):
    """A legacy file as pre-1.0 torch wrote it, whose tensors sit on views of a root storage:
    ('storage', type, root_key, location, root_numel, (view_key, view_offset, view_numel))."""
    whole = _Storage(("storage", torch.FloatStorage, "root", "cpu", 10, None))
    view = _Storage(("storage", torch.FloatStorage, "root", "cpu", 10, ("v1", 4, 6)))
    sd = collections.OrderedDict(whole=_Tensor(whole, 1, (2,), (1,)), view=_Tensor(view, 1, (2, 2), (2, 1)))
    with open(path, "wb") as f:
        for header in (0x1950a86a20f9469cfc6c, 1001, {"protocol_version": 1001, "little_endian": True}):
            pickle.dump(header, f, protocol=2)
        pickler = pickle.Pickler(f, protocol=2)
        pickler.persistent_id = lambda o: o.pid if isinstance(o, _Storage) else None
        pickler.dump(sd)
        pickle.dump(["root"], f, protocol=2)
        f.write(struct.pack("<q", 10))
        f.write(torch.arange(10, dtype=torch.float32).numpy().tobytes())
    return torch.load(path)  # torch itself gives the expected values


def write(out):
    sd = state_dict()
    write_manifest(f"{out}/expected_main.tsv", sd)
    # What torch's .float() makes of every floating-point tensor: the loader's widening must match it.
    write_manifest(f"{out}/expected_widened.tsv",
                   collections.OrderedDict((k, v.float()) for k, v in sd.items() if v.is_floating_point()))
    torch.save(sd, f"{out}/zip.pt")
    torch.save(sd, f"{out}/legacy.pt", _use_new_zipfile_serialization=False)
    torch.save(sd, f"{out}/zip_protocol4.pt", pickle_protocol=4)
    torch.save(sd, f"{out}/legacy_protocol4.pt", _use_new_zipfile_serialization=False, pickle_protocol=4)
    wrapper = {"epoch": 3, "args": argparse.Namespace(lr=0.1, arch="ghostnet"), "best_acc": np.float64(0.75),
               "state_dict": sd, "optimizer": {"state": {}, "param_groups": [{"lr": 0.1, "params": [0, 1]}]}}
    torch.save(wrapper, f"{out}/wrapped.pt")
    torch.save(wrapper, f"{out}/wrapped_legacy.pt", _use_new_zipfile_serialization=False)
    write_safetensors(f"{out}/tensors.safetensors", sd)

    model, msd = module_state_dict()
    write_manifest(f"{out}/expected_module.tsv", msd)
    torch.save(msd, f"{out}/module.pt")
    torch.save(msd, f"{out}/module_legacy.pt", _use_new_zipfile_serialization=False)
    torch.save(model, f"{out}/whole_model.pt")

    torch.manual_seed(5)
    small = torch.randn(6)
    views = collections.OrderedDict(overlapping=small[:2].expand(3, 2), permuted=torch.randn(2, 3, 4).permute(2, 0, 1))
    write_manifest(f"{out}/expected_views.tsv", views)
    torch.save(views, f"{out}/views.pt")
    torch.save({"broadcast": torch.randn(3).expand(1000, 3)}, f"{out}/broadcast.pt")
    write_manifest(f"{out}/expected_legacy_views.tsv", write_legacy_with_views(f"{out}/legacy_views.pt"))

    rng = np.random.default_rng(7)
    a = rng.standard_normal((2, 3, 4)).astype(np.float32)
    np.save(f"{out}/f32.npy", a)
    np.save(f"{out}/f32_scalar.npy", np.float32(2.5))
    np.save(f"{out}/f64.npy", rng.standard_normal((3, 2)))
    np.save(f"{out}/fortran.npy", np.asfortranarray(a))
    np.save(f"{out}/i32.npy", np.arange(6, dtype=np.int32))
    for version in ((2, 0), (3, 0)):
        with open(f"{out}/v{version[0]}.npy", "wb") as f:
            np.lib.format.write_array(f, a, version=version)
    with open(f"{out}/expected_npy.tsv", "w") as f:
        f.write(f"f32\t{a.tobytes().hex()}\n")
        f.write(f"f64\t{np.load(f'{out}/f64.npy').astype(np.float32).tobytes().hex()}\n")


def roundtrip(src, dst):
    arr = np.load(src)
    assert arr.dtype == np.float32, arr.dtype
    assert arr.flags["C_CONTIGUOUS"], "not C order"
    n = arr.size
    expected = (np.arange(n, dtype=np.float32) * np.float32(0.25) - np.float32(3)).reshape(arr.shape)
    assert np.array_equal(arr, expected), "values differ"
    with open(src, "rb") as f:
        assert np.lib.format.read_magic(f) == (1, 0)
        np.lib.format.read_array_header_1_0(f)
        assert f.tell() % 64 == 0, f"data starts at {f.tell()}, not on a 64-byte boundary"
    np.save(dst, arr * np.float32(2) + np.float32(1))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(sys.argv[2])
    elif sys.argv[1] == "roundtrip":
        for i in range(2, len(sys.argv), 2):
            roundtrip(sys.argv[i], sys.argv[i + 1])
    else:
        sys.exit(f"unknown mode {sys.argv[1]}")
