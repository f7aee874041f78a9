"""``keras.datasets.mnist``."""

import numpy as np

from jkeras.shim._files import get_file

__jkeras_shim__ = True


def load_data(path="mnist.npz"):
    """``(x_train, y_train), (x_test, y_test)``: uint8 images (n, 28, 28) and labels."""
    path = get_file(
        path,
        origin="https://s3.amazonaws.com/img-datasets/mnist.npz",
        file_hash="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
    )
    with np.load(path, allow_pickle=True) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
