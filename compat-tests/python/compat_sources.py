"""Python data sources that feed the same batches to tf-keras and to jkeras.

``keras_runner.py`` calls them in tf-keras (with ``keras`` resolving to ``tf_keras`` while this
module is imported); jkeras calls them through the Jep bridge (``jkeras.python.Python``), where
``keras.utils`` is the bridge's stand-in. Everything is deterministic: data come from a data file
the runner writes or from ``numpy.random.default_rng(seed)``, so both interpreters (and the
bridge's worker processes) build exactly the same float32 arrays.
"""

import math
import os
import sys

import numpy as np
from keras.utils import Sequence

# ---------------------------------------------------------------------------------------------
# The seed article's generator: one sample per line of a data file, looping forever


def write_two_input_file(path, n, seed):
    """Writes n lines "x1 (4 numbers) x2 (3 numbers) y" drawn from N(0, 1).

    The numbers are float32 values written with repr, so reading them back gives the same float32.
    """
    rng = np.random.default_rng(seed)
    rows = rng.standard_normal((n, 8)).astype(np.float32)
    with open(path, "w") as f:
        for row in rows:
            f.write(" ".join(repr(float(v)) for v in row) + "\n")


# The article's code as published lives once, in python/examples/seed_example.py (the main job's).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "examples"))
from seed_example import generate_arrays_from_file, process_line  # noqa: E402, F401


def generate_batches_from_file(path, batch_size):
    """Batches of batch_size lines of the file, in order, forever (the last batch may be smaller)."""
    while True:
        with open(path) as f:
            x1, x2, y = zip(*(process_line(line) for line in f))
        x1, x2, y = np.concatenate(x1), np.concatenate(x2), np.concatenate(y)
        for s in range(0, len(y), batch_size):
            yield (
                {"input_1": x1[s : s + batch_size], "input_2": x2[s : s + batch_size]},
                {"output": y[s : s + batch_size]},
            )


# ---------------------------------------------------------------------------------------------
# Seeded numpy data: a plain (x, y) generator and a Sequence with sample weights


def seeded_arrays(n, seed, input_dim, output_dim, classes=False):
    """x ~ N(0, 1) (n, input_dim); y one-hot (n, output_dim) if classes, else N(0, 1)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, input_dim)).astype(np.float32)
    if classes:
        y = np.eye(output_dim, dtype=np.float32)[rng.integers(0, output_dim, n)]
    else:
        y = rng.standard_normal((n, output_dim)).astype(np.float32)
    w = rng.uniform(0.5, 2.0, n).astype(np.float32)
    return x, y, w


def generate_arrays(n, seed, batch_size, input_dim, output_dim):
    """(x, y) batches [s, s + batch_size) of seeded data, in order, forever (last one smaller)."""
    x, y, _ = seeded_arrays(n, seed, input_dim, output_dim)
    while True:
        for s in range(0, n, batch_size):
            yield x[s : s + batch_size], y[s : s + batch_size]


class ArraySequence(Sequence):
    """(x, y, sample_weight) batches of seeded data; with shuffle, on_epoch_end draws a new order.

    The order comes from the Sequence's own generator (seed + 1), so the permutation of epoch k is
    the same in every interpreter that calls on_epoch_end k times.
    """

    def __init__(self, n, seed, batch_size, input_dim, output_dim, classes=False, sample_weights=True, shuffle=False):
        super().__init__()
        self.x, self.y, self.w = seeded_arrays(n, seed, input_dim, output_dim, classes)
        self.n, self.batch_size = n, batch_size
        self.sample_weights, self.shuffle = sample_weights, shuffle
        self.order = np.arange(n)
        self.rng = np.random.default_rng(seed + 1)
        self.epochs_ended = 0

    def __len__(self):
        return math.ceil(self.n / self.batch_size)

    def __getitem__(self, i):
        idx = self.order[i * self.batch_size : (i + 1) * self.batch_size]
        if self.sample_weights:
            return self.x[idx], self.y[idx], self.w[idx]
        return self.x[idx], self.y[idx]

    def on_epoch_end(self):
        self.epochs_ended += 1
        if self.shuffle:
            self.order = self.rng.permutation(self.n)
