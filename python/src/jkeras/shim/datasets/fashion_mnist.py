"""``keras.datasets.fashion_mnist``."""

import gzip
import os

import numpy as np

from jkeras.shim._files import get_file

__jkeras_shim__ = True

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_FILES = [
    "train-labels-idx1-ubyte.gz",
    "train-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
]


def load_data():
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 28, 28) and labels."""
    dirname = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(f, origin=_BASE + f, cache_subdir=dirname) for f in _FILES]
    out = []
    for labels_path, images_path in ((paths[0], paths[1]), (paths[2], paths[3])):
        with gzip.open(labels_path, "rb") as f:
            y = np.frombuffer(f.read(), np.uint8, offset=8)
        with gzip.open(images_path, "rb") as f:
            x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(len(y), 28, 28)
        out.append((x, y))
    return out[0], out[1]
