"""Malformed batches for FuzzedBatchesTest: ``batches(case)`` yields the item named ``case``
forever, for a model with input ``x`` of shape (None, 3) and output ``p`` of shape (None, 2)."""

import numpy as np

from keras.utils import Sequence

_X = np.ones((4, 3), np.float32)
_Y = np.eye(2, dtype=np.float32)[[0, 1, 0, 1]]


def item(case):
    if case == "wrong_rank":
        return np.ones((4, 3, 1), np.float32), _Y
    if case == "wrong_shape":
        return np.ones((4, 5), np.float32), _Y
    if case == "strings":
        return np.array([["a", "b", "c"]] * 4), _Y
    if case == "mixed_dtypes":
        return np.array([[1, "a", 2.5]] * 4, dtype=object), _Y
    if case == "none":
        return None
    if case == "none_x":
        return None, _Y
    if case == "nan":
        x = _X.copy()
        x[0, 0] = np.nan
        return x, _Y
    if case == "inf":
        x = _X.copy()
        x[1, 2] = np.inf
        return x, _Y
    if case == "missing_key":
        return {"not_x": _X}, _Y
    if case == "extra_key":
        return {"x": _X, "extra": _X}, _Y
    if case == "ragged":
        return [[1.0, 2.0, 3.0], [1.0, 2.0]], _Y
    if case == "zero_rows":
        return np.ones((0, 3), np.float32), np.ones((0, 2), np.float32)
    if case == "row_mismatch":
        return _X, np.eye(2, dtype=np.float32)[[0, 1, 0, 1, 0]]
    if case == "huge":
        return np.ones((4, 500_000), np.float32), _Y
    if case == "scalar_tuple":
        return 1, 2
    raise ValueError("unknown case %r" % case)


def batches(case):
    while True:
        yield item(case)


class Batches(Sequence):
    def __init__(self, case, n=2):
        self.case = case
        self.n = n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return item(self.case)
