"""Writes the fuzzing seed corpus: small real files written by PyTorch and NumPy (run with /usr/bin/python3).

  make_corpus.py OUT_DIR     (OUT_DIR is engine/src/test/resources/fuzz; the output is committed)

Reuses the checkpoint test fixtures (make_checkpoints.py) so the seeds are the formats the readers are
tested against, plus the bare data.pkl pickles out of the zips and a few plain pickles for the pickle
reader target. Each target's seeds go to OUT_DIR/<target>/seed-*; crashers found later sit next to them
as crash-*.
"""
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
CHECKPOINTS = os.path.join(HERE, "..", "dev", "ghostnet", "engine", "io", "make_checkpoints.py")

SEEDS = {
    "zip": ["zip.pt", "zip_protocol4.pt", "module.pt", "views.pt", "wrapped.pt", "broadcast.pt"],
    "legacy": ["legacy.pt", "legacy_protocol4.pt", "module_legacy.pt", "wrapped_legacy.pt"],
    "safetensors": ["tensors.safetensors"],
    "npy": ["f32.npy", "f32_scalar.npy", "f64.npy", "fortran.npy", "i32.npy", "v2.npy", "v3.npy"],
}


def main(out):
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, CHECKPOINTS, "write", tmp], check=True)
        for target, names in SEEDS.items():
            os.makedirs(os.path.join(out, target), exist_ok=True)
            for name in names:
                shutil.copy(os.path.join(tmp, name), os.path.join(out, target, "seed-" + name))
        pickles = os.path.join(out, "pickle")
        os.makedirs(pickles, exist_ok=True)
        for name in SEEDS["zip"]:
            with zipfile.ZipFile(os.path.join(tmp, name)) as z:
                pkl = next(n for n in z.namelist() if n.endswith("data.pkl"))
                with open(os.path.join(pickles, "seed-" + name.replace(".pt", ".pkl")), "wb") as f:
                    f.write(z.read(pkl))
        # Opcodes torch.save never emits but the reader implements (sets, frozensets, bytes, floats,
        # big ints, memo round trips), so the fuzzer starts from code paths the checkpoints do not reach.
        shared = [1, 2]
        value = {"ints": (0, 255, 65535, -1, 2 ** 31, -(2 ** 63), 2 ** 70), "float": 1.5, "none": None,
                 "flags": (True, False), "text": "ghost\u00e9", "bytes": b"\x00\x01", "set": {1, 2},
                 "frozen": frozenset({"a"}), "nested": [[shared, shared], {"k": (1, (2, 3))}]}
        for protocol in (2, 4, 5):
            with open(os.path.join(pickles, f"seed-plain-protocol{protocol}.pkl"), "wb") as f:
                pickle.dump(value, f, protocol=protocol)


if __name__ == "__main__":
    main(sys.argv[1])
