"""A functional two-input model trained from a keras.utils.Sequence defined in this script, in-process
(workers=0) and in two worker processes (workers=2, use_multiprocessing=True): the same losses."""

import keras
import numpy as np
from keras.layers import Dense, Input, concatenate
from keras.models import Model

SCALE = 0.5  # a module global the workers need: the Sequence is pickled by value


class TwoInputs(keras.utils.Sequence):
    def __init__(self, n, batch_size):
        rng = np.random.RandomState(1)
        self.a = rng.rand(n, 5).astype("float32")
        self.b = rng.rand(n, 3).astype("float32")
        self.y = self.a.sum(1, keepdims=True) * SCALE - self.b.sum(1, keepdims=True)
        self.batch_size = batch_size

    def __len__(self):
        return int(np.ceil(len(self.a) / self.batch_size))

    def __getitem__(self, i):
        s = slice(i * self.batch_size, (i + 1) * self.batch_size)
        return [self.a[s], self.b[s]], self.y[s]


def batches(n):
    """A generator function of the script: each worker process rebuilds `batches(n)` (it has not started)."""
    rng = np.random.RandomState(0)
    while True:
        a, b = rng.rand(n, 5), rng.rand(n, 3)
        yield [a, b], a.sum(1, keepdims=True) * SCALE


def build():
    a = Input(shape=(5,))
    b = Input(shape=(3,))
    model = Model([a, b], Dense(1)(Dense(8, activation="tanh")(concatenate([a, b]))))
    model.compile("sgd", "mse")
    return model


if __name__ == "__main__":
    first, second = build(), build()
    second.set_weights(first.get_weights())
    kw = {"epochs": 2, "shuffle": False, "verbose": 0, "validation_data": TwoInputs(64, 32)}
    in_process = first.fit_generator(TwoInputs(256, 32), workers=0, **kw).history
    in_workers = second.fit_generator(TwoInputs(256, 32), workers=2, use_multiprocessing=True, **kw).history
    for key in ("loss", "val_loss"):
        assert np.allclose(in_process[key], in_workers[key], rtol=1e-5), (key, in_process, in_workers)
    p = second.predict(TwoInputs(64, 32), workers=2, use_multiprocessing=True)
    assert p.shape == (64, 1), p.shape
    from_generator = second.fit_generator(batches(8), steps_per_epoch=4, verbose=0, workers=2, use_multiprocessing=True)
    assert from_generator.epoch == [0], from_generator.epoch
    started = batches(8)
    next(started)
    try:
        second.fit_generator(started, steps_per_epoch=4, workers=2, use_multiprocessing=True)
        raise AssertionError("a started generator cannot reach worker processes")
    except ValueError as e:
        assert "has not started yet" in str(e), e
    print("SAME_LOSSES", ["%.5f" % v for v in in_workers["loss"]])
