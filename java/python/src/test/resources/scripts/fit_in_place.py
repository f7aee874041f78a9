"""fit, evaluate and predict on arrays read in place by Java (``jkeras.shim._java.call_data``: float32, int32 or
int64, C-contiguous) give, bit for bit, what the copying path gives for the same data and seed: float32 and
int64 arrays (in place), float64 (cast, copied) and a strided view (copied), with shuffle and validation_split;
the History and a callback's validation_data outlive the call without reading the caller's memory."""

import numpy as np
from jkeras.shim import _java
from keras.callbacks import Callback
from keras.layers import Dense, Input
from keras.models import Model

RngUtils = _java.jclass("jkeras.utils.RngUtils")
rng = np.random.RandomState(0)
X = rng.rand(96, 12).astype("float32")
Y = rng.randint(0, 3, 96).astype("int64")
wrapped = []
real_call_data = _java.call_data


def spying(x):
    j = real_call_data(x)
    if j is not None and type(x) is np.ndarray and j.isDirect():
        wrapped.append(x.shape)
    return j


class Keep(Callback):
    def on_train_end(self, logs=None):
        self.kept = self.validation_data


def run(x, y, path):
    _java.call_data = spying if path == "in place" else _java.to_data
    try:
        RngUtils.setRandomSeed(7)  # same weights and shuffling on both paths
        inp = Input((6,))
        m = Model(inp, Dense(3, activation="softmax")(Dense(8, activation="relu")(inp)))
        m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        keep = Keep()
        h = m.fit(
            x,
            y,
            batch_size=10,
            epochs=3,
            shuffle=True,
            validation_split=0.25,
            callbacks=[keep],
            verbose=0,
        )
        return (
            h.history,
            m.evaluate(x, y, batch_size=16, verbose=0),
            m.predict(x, batch_size=16),
            keep.kept,
        )
    finally:
        _java.call_data = real_call_data
        RngUtils.setRandomSeed(None)


cases = {
    "float32": (X[:, :6].copy(), Y),
    "float64": (X[:, :6].astype("float64"), Y),
    "strided": (X[:, ::2], Y.astype("int32")),
}
for label, (x, y) in cases.items():
    del wrapped[:]
    got = run(x, y, "in place")
    in_place = list(wrapped)
    want = run(x, y, "copied")
    assert got[0] == want[0], (
        label,
        got[0],
        want[0],
    )  # History: the same floats, not merely close
    assert got[1] == want[1], (label, got[1], want[1])
    np.testing.assert_array_equal(got[2], want[2], err_msg=label)
    if label == "float32":
        assert in_place == [(96, 6), (96,), (96, 6), (96,), (96, 6)], in_place
        # what the callback kept is the model's copy: changing the caller's array does not change it
        before = [a.copy() for a in got[3]]
        x[...] = -1
        y[...] = 0
        for a, b in zip(got[3], before):
            np.testing.assert_array_equal(a, b)
    else:
        assert in_place == [(96,), (96,)], (
            in_place
        )  # x cast or made contiguous (copied); y read in place
print("FIT_IN_PLACE_SAME")
