"""The shim's native fast path (``jkeras/shim/_onbatch.c``) outside a JVM: built by scripts/setup-python.sh,
off without a JVM, and its method wrapper hands every call it does not take to the Python method it wraps. The
steps themselves run only in a JVM: ``KerasScriptTest.theNativeFastPathOfThePerStepCallsGivesTheGeneralPaths...``
(script ``on_batch_native.py``)."""

import inspect
import threading

import numpy as np
import pytest

from jkeras.shim import _onbatch


def test_without_a_jvm_the_fast_path_is_off():
    assert _onbatch.init(np.ndarray) is False
    assert _onbatch.bind(1) is None


class Model:
    _native_binding = None

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None, reset_metrics=True):
        """Keras' docstring."""
        return ("python", x, y, sample_weight, class_weight, reset_metrics)

    train_on_batch = _onbatch.method(train_on_batch, True)


def test_the_method_hands_calls_it_does_not_take_to_the_python_method():
    m = Model()
    assert m.train_on_batch(1, 2) == ("python", 1, 2, None, None, True)
    assert m.train_on_batch(1, 2, None, reset_metrics=False) == ("python", 1, 2, None, None, False)
    # a binding of another thread, or something that is not a binding, is not taken either
    m._native_binding = (threading.get_ident() + 1, None)
    assert m.train_on_batch(1, 2)[0] == "python"
    m._native_binding = ("not a thread id", None)
    assert m.train_on_batch(1, 2)[0] == "python"
    with pytest.raises(TypeError):
        m.train_on_batch(1)


def test_the_method_looks_like_the_one_it_wraps():
    m = Model()
    assert m.train_on_batch.__name__ == "train_on_batch"
    assert m.train_on_batch.__doc__ == "Keras' docstring."
    assert list(inspect.signature(m.train_on_batch).parameters) == [
        "x",
        "y",
        "sample_weight",
        "class_weight",
        "reset_metrics",
    ]
    assert type(Model.__dict__["train_on_batch"]).__name__ == "Method"
    assert Model.train_on_batch is Model.__dict__["train_on_batch"]
    assert "train_on_batch" in repr(Model.train_on_batch)
