"""``keras.datasets.cifar10``."""

import os
import pickle

import numpy as np

from jkeras.shim import backend
from jkeras.shim._files import get_file

__jkeras_shim__ = True


def load_batch(fpath, label_key="labels"):
    """One CIFAR batch file: ``(data (n, 3, 32, 32) uint8, labels)``."""
    with open(fpath, "rb") as f:
        d = pickle.load(f, encoding="bytes")
    d = {(k.decode("utf8") if isinstance(k, bytes) else k): v for k, v in d.items()}
    data = d["data"].reshape(d["data"].shape[0], 3, 32, 32)
    return data, d[label_key]


def load_data():
    """``(x_train, y_train), (x_test, y_test)``: uint8 images, channels last by ``K.image_data_format()``, and
    labels of shape (n, 1)."""
    path = get_file("cifar-10-batches-py", origin="https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz", untar=True)
    x_train = np.empty((50000, 3, 32, 32), dtype="uint8")
    y_train = np.empty((50000,), dtype="uint8")
    for i in range(1, 6):
        s = slice((i - 1) * 10000, i * 10000)
        x_train[s], y_train[s] = load_batch(os.path.join(path, "data_batch_%d" % i))
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = np.reshape(y_train, (len(y_train), 1))
    y_test = np.reshape(np.asarray(y_test), (len(y_test), 1))
    if backend.image_data_format() == "channels_last":
        x_train = x_train.transpose(0, 2, 3, 1)
        x_test = x_test.transpose(0, 2, 3, 1)
    return (x_train, y_train), (x_test, y_test)
