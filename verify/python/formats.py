"""Checkpoint writers for the goldens: the three formats users hand to the engine, written deterministically.

- PyTorch zip (torch.save, the default since 1.6): already deterministic for a fixed file name.
- PyTorch legacy (_use_new_zipfile_serialization=False): torch keys each storage by its memory address
  (`str(storage._cdata)`) and writes the storages sorted by that key, so two runs give different bytes.
  We run torch's own writer with only that key replaced by a counter in first-use order.
- safetensors: written by hand (no safetensors package here), laid out like the official library.
"""

import inspect
import json
import struct
import textwrap

import numpy as np
import torch
import torch.serialization

# torch dtype -> (safetensors name, little-endian numpy dtype)
_SAFETENSORS_DTYPES = {
    torch.float64: ("F64", np.dtype("<f8")),
    torch.float32: ("F32", np.dtype("<f4")),
    torch.float16: ("F16", np.dtype("<f2")),
    torch.int64: ("I64", np.dtype("<i8")),
    torch.int32: ("I32", np.dtype("<i4")),
}


def save_zip(state_dict, path):
    torch.save(state_dict, path)


def _deterministic_legacy_save():
    """torch.serialization._legacy_save with storage keys "0", "1", ... instead of memory addresses."""
    source = textwrap.dedent(inspect.getsource(torch.serialization._legacy_save))
    needle = "storage_key = str(storage._cdata)"
    if source.count(needle) != 1:
        raise RuntimeError(f"torch {torch.__version__}: _legacy_save changed, cannot make it deterministic")
    source = source.replace(needle, "storage_key = _stable_key(storage._cdata)")
    namespace = dict(vars(torch.serialization))
    keys = {}
    namespace["_stable_key"] = lambda cdata: keys.setdefault(cdata, str(len(keys)))
    exec(compile(source, torch.serialization.__file__, "exec"), namespace)
    return namespace["_legacy_save"]


def save_legacy(state_dict, path):
    legacy_save = _deterministic_legacy_save()
    with open(path, "wb") as f:
        legacy_save(state_dict, f, torch.serialization.pickle, torch.serialization.DEFAULT_PROTOCOL)


def save_safetensors(state_dict, path):
    """safetensors: u64 LE header length, JSON header, then the raw little-endian tensor data.

    Like the official writer: tensors ordered by dtype (wider first, so every tensor is aligned to its
    element size) then name, header padded with spaces to a multiple of 8, `__metadata__` format "pt".
    0-d tensors (BN's num_batches_tracked, I64) have shape [].
    """
    items = sorted(state_dict.items(), key=lambda kv: (-kv[1].element_size(), kv[0]))
    header = {"__metadata__": {"format": "pt"}}
    blobs = []
    offset = 0
    for name, tensor in items:
        dtype, numpy_dtype = _SAFETENSORS_DTYPES[tensor.dtype]
        data = tensor.detach().contiguous().numpy().astype(numpy_dtype, copy=False).tobytes()
        header[name] = {"dtype": dtype, "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_safetensors(path):
    """Minimal reader, used only to check the writer round-trips."""
    numpy_dtypes = dict(_SAFETENSORS_DTYPES.values())
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack_from("<Q", raw, 0)
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = np.frombuffer(raw[base + begin:base + end], dtype=numpy_dtypes[info["dtype"]])
        out[name] = torch.from_numpy(array.reshape(info["shape"]).copy())
    return out


def save_npy(array, path):
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)
