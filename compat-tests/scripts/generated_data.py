"""Generated stand-ins for the datasets the compat harness' scripts would download (numpy only:
the same arrays on every side, jkeras' embedded Python included)."""

import numpy as np


def mnist_load_data(n_train, n_test, seed=0):
    """``((x_train, y_train), (x_test, y_test))`` shaped and typed as ``keras.datasets.mnist
    .load_data()`` gives them (uint8 28x28 images, uint8 labels 0-9), for n_train and n_test
    samples: each class a fixed random stroke pattern, each image its class' pattern plus noise,
    so a model can learn them."""
    rng = np.random.default_rng(seed)
    patterns = rng.uniform(0, 255, (10, 28, 28)) * (rng.uniform(size=(10, 28, 28)) < 0.1)

    def draw(n):
        y = rng.integers(0, 10, n).astype(np.uint8)
        x = np.clip(patterns[y] * 0.5 + rng.uniform(0, 150, (n, 28, 28)), 0, 255).astype(np.uint8)
        return x, y

    return draw(n_train), draw(n_test)


def two_input_arrays(n, seed=0):
    """Inputs ``a`` (n, 8) and ``b`` (n, 4) and a binary target with a learnable rule."""
    rng = np.random.default_rng(seed)
    a = rng.standard_normal((n, 8)).astype(np.float32)
    b = rng.standard_normal((n, 4)).astype(np.float32)
    y = ((a[:, :3].sum(axis=1) - b[:, 0]) > 0).astype(np.float32).reshape(n, 1)
    return a, b, y


def images(n, seed=0, size=12, classes=3):
    """Channels-last float32 images (n, size, size, 1) in [0, 1] and sparse int labels: class c
    brightens the c-th horizontal band."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, classes, n)
    x = rng.uniform(0, 0.5, (n, size, size, 1)).astype(np.float32)
    band = size // classes
    for i, c in enumerate(y):
        x[i, c * band : (c + 1) * band, :, 0] += 0.5
    return x, y.astype(np.int32)
