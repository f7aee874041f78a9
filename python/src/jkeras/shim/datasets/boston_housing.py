"""``keras.datasets.boston_housing``."""

import numpy as np

from jkeras.shim._files import get_file

__jkeras_shim__ = True


def load_data(path="boston_housing.npz", test_split=0.2, seed=113):
    """``(x_train, y_train), (x_test, y_test)``, shuffled with numpy's legacy seed ``seed`` as Keras does."""
    assert 0 <= test_split < 1
    path = get_file(
        path,
        origin="https://s3.amazonaws.com/keras-datasets/boston_housing.npz",
        file_hash="f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
    )
    with np.load(path, allow_pickle=True) as f:
        x, y = f["x"], f["y"]
    np.random.seed(seed)
    indices = np.arange(len(x))
    np.random.shuffle(indices)
    x, y = x[indices], y[indices]
    n = int(len(x) * (1 - test_split))
    return (np.array(x[:n]), np.array(y[:n])), (np.array(x[n:]), np.array(y[n:]))
