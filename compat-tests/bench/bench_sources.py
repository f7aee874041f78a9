"""Data sources and data of `jkeras bench all`, imported by both sides.

The JVM imports this module through the Jep bridge (`Python.generator` / `Python.sequence` with a
`PythonSource` naming it) and in jkeras' worker processes; the tf-keras benchmark process
(`tfkeras_bench.py --serve`) imports it too, so both sides train on the very same batches made by
the very same code. Nothing here imports Keras or TensorFlow: the Sequence classes are plain
objects with `__len__` and `__getitem__` (jkeras accepts those; the tf-keras side wraps them in a
`tf_keras.utils.Sequence`).

Data and initial weights are a pure function of an integer seed ("det"): a 32-bit integer hash of
the element index, whose top 24 bits make a float32 in [0, 1) exactly. The Java side
(`jkeras.cli.BenchData`) computes the same numbers bit for bit, so both models start from the same
weights and see the same samples.
"""

import time

import numpy as np

_M32 = np.uint64(0xFFFFFFFF)


def det_bits(n, seed, offset=0):
    """24-bit hashes (as uint64) of the indices offset .. offset+n-1 under `seed`."""
    k = np.arange(offset, offset + n, dtype=np.uint64)
    v = (k * np.uint64(0x9E3779B1) + np.uint64(((seed + 1) * 0x85EBCA77) & 0xFFFFFFFF)) & _M32
    v ^= v >> np.uint64(15)
    v = (v * np.uint64(0x2C1B3C6D)) & _M32
    v ^= v >> np.uint64(12)
    v = (v * np.uint64(0x297A2D39)) & _M32
    v ^= v >> np.uint64(15)
    return v >> np.uint64(8)


def det_uniform(n, seed, offset=0):
    """float32 in [0, 1): hash / 2**24 (exact in float32)."""
    return (det_bits(n, seed, offset).astype(np.float64) / 16777216.0).astype(np.float32)


def det_labels(n, classes, seed, offset=0):
    return (det_bits(n, seed, offset) % np.uint64(classes)).astype(np.int32)


def mlp_data(samples, features=784, classes=10, seed=0, offset=0):
    """(x, y): samples x features float32 in [0, 1), int32 labels in [0, classes)."""
    x = det_uniform(samples * features, 2 * seed, offset * features).reshape(samples, features)
    y = det_labels(samples, classes, 2 * seed + 1, offset)
    return x, y


def mlp_weights(features=784, hidden=128, classes=10, seed=0):
    """[W1, b1, W2, b2]: uniform in +-sqrt(6 / (fan_in + fan_out)) (Glorot's limit), zero biases."""
    out = []
    for i, (fan_in, fan_out) in enumerate([(features, hidden), (hidden, classes)]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        u = det_uniform(fan_in * fan_out, 1000 + 10 * seed + i).astype(np.float64)
        out.append(((2.0 * u - 1.0) * limit).astype(np.float32).reshape(fan_in, fan_out))
        out.append(np.zeros(fan_out, dtype=np.float32))
    return out


def batch_pool(batch_size=32, pool=16, features=784, classes=10, seed=0):
    """`pool` distinct batches: the first pool * batch_size samples of mlp_data(seed)."""
    x, y = mlp_data(pool * batch_size, features, classes, seed)
    return [(x[b * batch_size : (b + 1) * batch_size], y[b * batch_size : (b + 1) * batch_size]) for b in range(pool)]


def mlp_batches(batch_size=32, pool=16, seed=0):
    """Endless generator cycling through a prepared pool: costs (almost) nothing per batch."""
    batches = batch_pool(batch_size, pool, seed=seed)
    i = 0
    while True:
        yield batches[i % pool]
        i += 1


def gil_spin(work):
    """Pure-Python work that holds the GIL throughout: `work` iterations of an integer recurrence."""
    a = 1
    for i in range(work):
        a = (a * 1103515245 + i) & 0xFFFFFFFF
    return a


def gil_batches(batch_size=32, work=100000, pool=16, seed=0):
    """Endless generator whose every batch first costs `work` iterations of pure Python."""
    batches = batch_pool(batch_size, pool, seed=seed)
    i = 0
    while True:
        gil_spin(work)
        yield batches[i % pool]
        i += 1


def sleepy_batches(batch_size=32, millis=1.0, pool=16, seed=0):
    """Endless generator that sleeps `millis` before each batch (releases the GIL, like I/O)."""
    batches = batch_pool(batch_size, pool, seed=seed)
    seconds = millis / 1000.0
    i = 0
    while True:
        time.sleep(seconds)
        yield batches[i % pool]
        i += 1


def fresh_batches(batch_size=1024, seed=0):
    """Endless generator of new arrays every batch (streams data: nothing is reused)."""
    i = 0
    while True:
        x, y = mlp_data(batch_size, seed=seed, offset=i * batch_size)
        yield x, y
        i += 1


class MlpSequence:
    """A Sequence of `length` batches over a prepared pool (cheap `__getitem__`)."""

    def __init__(self, batch_size=32, length=200, pool=16, seed=0, work=0):
        self.batches = batch_pool(batch_size, pool, seed=seed)
        self.length = length
        self.work = work

    def __len__(self):
        return self.length

    def __getitem__(self, index):
        if self.work:
            gil_spin(self.work)
        return self.batches[index % len(self.batches)]

    def on_epoch_end(self):
        pass


# The model rows of `jkeras bench all` (small CNN, CNN with BatchNormalization, LSTM text
# classifier): their data, and the kernels both sides start from. Each side builds the model with
# its own API; weights of rank 1 (biases, BatchNormalization's statistics, the LSTM's forget-gate
# bias) are the same deterministic initializers on both sides, so only kernels are replaced.

MODEL_ROWS = {
    # kind: (batch size, input shape per sample, classes; 0 = vocabulary for ids)
    "cnn": (64, (28, 28, 1), 10),
    "bn_cnn": (64, (28, 28, 1), 10),
    "lstm": (32, (80,), 2),
}

VOCABULARY = 10000


def det_kernel(shape, seed):
    """A kernel of `shape`: uniform in +-sqrt(6 / (fan_in + fan_out)), Keras' fans (Glorot's limit)."""
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    fan_in, fan_out = shape[-2] * receptive, shape[-1] * receptive
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    u = det_uniform(int(np.prod(shape)), seed).astype(np.float64)
    return ((2.0 * u - 1.0) * limit).astype(np.float32).reshape(shape)


def det_kernels(weights, seed=0):
    """`weights` (a model's get_weights(), in Keras order) with every weight of rank >= 2 replaced."""
    return [det_kernel(w.shape, 2000 + 10 * seed + i) if w.ndim >= 2 else w for i, w in enumerate(weights)]


def model_data(kind, batches=1, seed=0):
    """(x, y) of `batches` batches for a model row: images in [0, 1) or word ids, int labels."""
    batch, shape, classes = MODEL_ROWS[kind]
    n = batches * batch
    size = int(np.prod(shape))
    if kind == "lstm":
        x = det_labels(n * size, VOCABULARY, 2 * seed, 0).reshape((n, *shape))
        y = det_labels(n, 2, 2 * seed + 1).astype(np.float32).reshape(n, 1)
    else:
        x = det_uniform(n * size, 2 * seed).reshape((n, *shape))
        y = det_labels(n, classes, 2 * seed + 1)
    return x, y
