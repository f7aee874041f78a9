"""Python sources for the bridge's Java tests (a module on a path)."""

import os
import threading
import time

import numpy as np
from keras.utils import Sequence, to_categorical


def generate_arrays_from_file(path, batch_size=8):
    """The Keras docs' example: loops forever over a text file, one sample per line."""
    while True:
        with open(path) as f:
            rows = []
            for line in f:
                rows.append([float(v) for v in line.split(",")])
                if len(rows) == batch_size:
                    a = np.array(rows, dtype=np.float32)
                    rows = []
                    yield ({"input_1": a[:, 0:2], "input_2": a[:, 2:5]}, {"output": a[:, 5:6]})


class RecordingSequence(Sequence):
    """Records (epoch, index, thread id) for every __getitem__; counts on_epoch_end."""

    def __init__(self, n, batch_size=4, delay=0.0):
        self.n = n
        self.batch_size = batch_size
        self.delay = delay
        self.epoch = 0
        self.calls = []
        self.epoch_ends = 0
        self.lock = threading.Lock()
        rng = np.random.RandomState(0)
        self.x = rng.uniform(-1, 1, size=(n * batch_size, 3)).astype(np.float32)
        labels = (self.x.sum(axis=1) > 0).astype(np.int64)
        self.y = to_categorical(labels, 2)

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        if self.delay:
            time.sleep(self.delay)  # releases the GIL, so worker threads overlap
        with self.lock:
            self.calls.append((self.epoch, int(index), threading.get_ident()))
        s = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epoch += 1
        self.epoch_ends += 1


LAST = {}


def recording_sequence(n, batch_size=4, delay=0.0):
    """Factory that keeps the instance reachable for the test (LAST['seq'])."""
    seq = RecordingSequence(n, batch_size, delay)
    LAST["seq"] = seq
    return seq


class FailingSequence(Sequence):
    def __init__(self, fail_at):
        self.fail_at = fail_at

    def __len__(self):
        return 6

    def __getitem__(self, index):
        if index == self.fail_at:
            raise ValueError("bad index %d" % index)
        return np.zeros((2, 3), np.float32), np.zeros((2, 2), np.float32)


def failing_generator(fail_after):
    for i in range(fail_after):
        yield np.zeros((2, 3), np.float32), np.zeros((2, 2), np.float32)
    raise ValueError("corrupt record %d" % fail_after)


def finite_generator(n):
    for i in range(n):
        yield np.full((2, 3), i, np.float32), np.zeros((2, 2), np.float32)


def dtype_items():
    """One item per dtype case."""
    yield np.array([[1.5, -2.0]], np.float64), np.array([1, 2], np.int32)
    yield np.array([[3, 4]], np.int64), np.array([True, False])
    yield np.array([[0, 255]], np.uint8), [1, 2, 3]
    yield [[0.5, 1.5]], [[7]], np.array([0.25], np.float32)
    yield np.array(["a"]), np.zeros(1)


def wrong_shape(n):
    while True:
        yield np.zeros((2, 4), np.float32), np.zeros((2, 2), np.float32)


def tensorflow_loaded():
    import sys

    return "tensorflow" in sys.modules


def gil_bound(work):
    """A pure-Python generator: holds the GIL for `work` loop iterations per batch."""
    x = np.zeros((32, 10), np.float32)
    y = np.zeros((32, 1), np.float32)
    while True:
        s = 0
        for i in range(work):
            s += i
        yield x, y


def fixed_batch(rows=32, cols=784, classes=10):
    """The same preallocated batch forever: measures transport only."""
    x = np.random.RandomState(0).rand(rows, cols).astype(np.float32)
    y = np.zeros((rows, classes), np.float32)
    while True:
        yield x, y


class GilBoundSequence(Sequence):
    """__getitem__ holds the GIL for `work` loop iterations."""

    def __init__(self, n, work):
        self.n = n
        self.work = work
        self.x = np.zeros((32, 10), np.float32)
        self.y = np.zeros((32, 1), np.float32)

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        s = 0
        for i in range(self.work):
            s += i
        return self.x, self.y


def layouts():
    """Batches whose layout keeps changing (shapes, dtypes, structure, byte order, sizes), then ends.

    Values are i * 10 + position, so Java can check every element of batch i."""

    def vals(i, shape, dtype):
        n = int(np.prod(shape))
        return (np.arange(n) + i * 10).astype(dtype).reshape(shape)

    yield vals(0, (4, 3), np.float32), vals(0, (4,), np.int64)
    yield vals(1, (2, 3), np.float32), vals(1, (2,), np.int64)  # smaller: fits the same buffers
    yield vals(2, (64, 3), np.float32), vals(2, (64,), np.int64)  # larger: new buffers
    yield {"a": vals(3, (2, 2), np.float64), "b": vals(3, (2,), np.int32)}, vals(3, (2, 1), ">f4")
    yield [vals(4, (3,), np.bool_), vals(4, (3, 2), np.uint8)], vals(4, (3,), np.float32), vals(4, (3,), np.float32)
    yield vals(5, (0, 3), np.float32), vals(5, (0,), np.int64)
    yield vals(6, (4, 3), np.float32), vals(6, (4,), np.int64)


def numbered(n=-1, rows=4, cols=3):
    """Batch k: x = full((rows, cols), k) float32, y = [k] * rows int64."""
    k = 0
    while n < 0 or k < n:
        yield np.full((rows, cols), k, np.float32), np.full((rows,), k, np.int64)
        k += 1


def int_id_batches(vocab, length=5, batch_size=8, seed=0):
    """(int32 ids of shape (batch, length), float32 targets (batch, 1)): the target is 1 when id 1
    appears in the row, else 0; forever."""
    rng = np.random.default_rng(seed)
    while True:
        ids = rng.integers(0, vocab, (batch_size, length)).astype(np.int32)
        yield ids, (ids == 1).any(axis=1, keepdims=True).astype(np.float32)


def large_ids():
    """One int32 batch of ids above 2**24 (float32 would round both to 2**24)."""
    yield np.array([[2**24 + 1, 2**24]], np.int32), np.zeros((1, 2, 1), np.float32)


def slow_generator(delay, log=None):
    """Small batches, each after `delay` seconds; a line in `log` per batch."""
    import time

    while True:
        time.sleep(delay)
        if log:
            with open(log, "a") as f:
                f.write("batch\n")
        yield np.zeros((2, 3), np.float32), np.zeros((2, 2), np.float32)


def _stall(delay, release):
    """`delay` seconds, or with `release` until that file exists (60 s at most, a hang guard): a
    test creates it once it saw the warnings, so no fixed delay races the fetch timeout."""
    if release is None:
        time.sleep(delay)
        return
    deadline = time.monotonic() + 60
    while not os.path.exists(release) and time.monotonic() < deadline:
        time.sleep(0.01)


def stalling_generator(slow, delay, release=None):
    """Small batches; item `slow` comes after `delay` s or at `release` (fetch timeout drills)."""
    k = 0
    while True:
        if k == slow:
            _stall(delay, release)
        yield np.full((2, 3), k, np.float32), np.zeros((2, 2), np.float32)
        k += 1


class StallingSequence(Sequence):
    """`n` small batches; index `slow` takes `delay` seconds or lasts until `release` (fetch
    timeout drills)."""

    def __init__(self, n, slow, delay, release=None):
        self.n, self.slow, self.delay, self.release = n, slow, delay, release

    def __len__(self):
        return self.n

    def __getitem__(self, index):
        if index == self.slow:
            _stall(self.delay, self.release)
        return np.full((2, 3), index, np.float32), np.zeros((2, 2), np.float32)


def soak_batches(rows=32):
    """A fresh random (rows, 3) float32 batch with one-hot (rows, 2) targets each time (SoakMain)."""
    rng = np.random.RandomState(0)
    eye = np.eye(2, dtype=np.float32)
    while True:
        x = rng.rand(rows, 3).astype(np.float32)
        yield x, eye[(x[:, 0] > 0.5).astype(np.int64)]


def seeded_batches(log_path, rows=4):
    """(rows, 3) inputs and one-hot (rows, 2) targets from the global numpy RNG (which the bridge's
    worker processes seed); the first number drawn is appended to ``log_path`` (multi-worker tests:
    the workers' generator copies must be seeded apart)."""
    first = np.random.rand()
    with open(log_path, "a") as f:
        f.write(f"{first!r}\n")
    while True:
        x = np.random.rand(rows, 3).astype(np.float32)
        y = np.eye(2, dtype=np.float32)[(x.sum(axis=1) > 1.5).astype(int)]
        yield x, y


class LoggedSequence(Sequence):
    """``ceil(rows / batch_size)`` batches of fixed (rows, 3) inputs and one-hot targets; every
    ``__getitem__`` appends ``"<owner> <pid> <epoch> <index>"`` to ``log_path`` (multi-worker tests:
    which cluster worker's processes fetched which indices, and in which epoch). ``on_epoch_end``
    counts epochs, so the epoch logged shows its state reached every worker process."""

    def __init__(self, log_path, owner, rows=64, batch_size=13):
        self.log_path = log_path
        self.owner = owner
        self.batch_size = batch_size
        self.epoch = 0
        rng = np.random.RandomState(7)
        self.x = rng.uniform(0, 1, size=(rows, 3)).astype(np.float32)
        self.y = np.eye(2, dtype=np.float32)[(self.x.sum(axis=1) > 1.5).astype(int)]

    def __len__(self):
        return (len(self.x) + self.batch_size - 1) // self.batch_size

    def __getitem__(self, index):
        import os

        with open(self.log_path, "a") as f:
            f.write(f"{self.owner} {os.getpid()} {self.epoch} {int(index)}\n")
        s = slice(index * self.batch_size, (index + 1) * self.batch_size)
        return self.x[s], self.y[s]

    def on_epoch_end(self):
        self.epoch += 1


def logged_sequence(log_path, owner, rows=64, batch_size=13):
    return LoggedSequence(log_path, owner, rows, batch_size)
