"""Write the first Fashion-MNIST test image of each class as a 28x28 grey PNG (the bundled examples).

    /usr/bin/python3 verify/python/fashion_examples.py --out examples

File names carry the test-set index and the true class: t10k-00000-ankle-boot.png. The pixels are the
IDX file's bytes unchanged.
"""

import argparse
import os
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_fashion import DEFAULT_DATA, LABELS, load_split  # noqa: E402


def slug(label):
    return label.lower().replace("/", "-").replace(" ", "-")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=DEFAULT_DATA)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    images, labels = load_split(args.data, "t10k")
    for cls, label in enumerate(LABELS):
        index = int((labels == cls).nonzero()[0][0])
        path = os.path.join(args.out, f"t10k-{index:05d}-{slug(label)}.png")
        Image.fromarray(images[index], mode="L").save(path)
        print(path)


if __name__ == "__main__":
    main()
