"""The native fast path of ``train_on_batch``/``test_on_batch`` (``jkeras/shim/_onbatch.c``): built and active in
this JVM; the steps it takes give exactly what the general path (dicts by input and output name) gives for the
same batches, whether the script passes one fixed batch, a new slice each step, a last short batch, or arrays it
does not take (float64, a strided view, keywords), which go the Python way and back, or numpy's other spellings
of the declared layout (unaligned, np.longlong); a kept bound method and the unbound call; a Java failure in a step it
runs is the same error as on the general path, and the next step works; a score count its buffer does not hold is
finished in Python; the method looks like Keras' (name, signature, doc); a second thread gets its own steps."""

import inspect
import threading

import numpy as np
from keras.layers import Dense, Input
from keras.models import Model

from jkeras.shim import _java, _onbatch

assert _java.native_available(), (
    "the native fast path is not active (was _onbatch.c built by setup-python.sh?)"
)

rng = np.random.RandomState(0)


def build():
    inp = Input((6,), name="features")
    out = Dense(3, activation="softmax", name="probs")(Dense(8, activation="relu")(inp))
    m = Model(inp, out)
    m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


fast, general = build(), build()
general.set_weights(fast.get_weights())
x = (rng.rand(64, 6) * 3).astype("float32")
y = rng.randint(0, 3, 64).astype("int32")


def both(label, xb, yb, native_steps, **kw):
    """One train and one test step on each model; asserts equal scores and how many steps ran natively."""
    before = _onbatch.steps()
    got = fast.train_on_batch(xb, yb, **kw), fast.test_on_batch(xb, yb)
    ran = _onbatch.steps() - before
    want = (
        general.train_on_batch({"features": np.asarray(xb)}, {"probs": np.asarray(yb, yb.dtype.name)}, **kw),
        general.test_on_batch({"features": np.asarray(xb)}, {"probs": np.asarray(yb, yb.dtype.name)}),
    )
    assert all(type(v) is float for v in got[0] + got[1]), got
    np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=label)
    if native_steps is not None:  # another thread's count is its own affair
        assert ran == native_steps, (
            f"{label}: {ran} steps ran natively, expected {native_steps}"
        )


fast.train_on_batch(
    x[:16], y[:16]
)  # the first call declares the layout, on the Python way
general.train_on_batch({"features": x[:16]}, {"probs": y[:16]})
for _ in range(3):
    both("fixed batch", x[:16], y[:16], 2)
for i in range(4):
    both("slice %d" % i, x[i * 16 : (i + 1) * 16], y[i * 16 : (i + 1) * 16], 2)
both("float64, copied", x[:16].astype("float64"), y[:16], 0)
both("back to float32", x[16:32], y[16:32], 2)
both(
    "strided view, copied",
    np.ascontiguousarray(np.repeat(x[:16], 2, axis=1))[:, ::2],
    y[:16],
    0,
)
both(
    "keyword argument: the Python method, then native",
    x[:16],
    y[:16],
    2,
    sample_weight=None,
)
both("last short batch: declared anew", x[:5], y[:5], 1)
both("its layout now", x[5:10], y[5:10], 2)

# a Java failure in a natively run step: the general path's error, and the next step works
bad = np.full(5, 7, "int32")  # labels outside [0, 3)
errors = []
for model, xb, yb in (
    (general, {"features": x[:5]}, {"probs": bad}),
    (fast, x[:5], bad),
):
    before = _onbatch.steps()
    try:
        model.train_on_batch(xb, yb)
        raise AssertionError("labels outside the classes were accepted")
    except Exception as e:  # noqa: BLE001 (compared below)
        errors.append((type(e), str(e)))
    if model is fast:
        assert _onbatch.steps() - before == 1, "the failing step did not run natively"
assert errors[0] == errors[1], errors
both("after the failure", x[10:15], y[10:15], 2)

# more scores than the native buffer holds (faked here: a capacity of one) are finished in Python
_onbatch.scores(fast._steps()._native, fast._steps()._scores.ctypes.data, 1)
both("scores finished in Python", x[:5], y[:5], 2)
_onbatch.scores(
    fast._steps()._native,
    fast._steps()._scores.ctypes.data,
    fast._steps()._scores.shape[0],
)

# a bound method kept by the script, and the unbound call, take the same way
step = fast.train_on_batch
before = _onbatch.steps()
kept, unbound = step(x[5:10], y[5:10]), Model.train_on_batch(fast, x[5:10], y[5:10])
general_kept = general.train_on_batch({"features": x[5:10]}, {"probs": y[5:10]})
np.testing.assert_allclose(kept, general_kept, rtol=1e-6)
np.testing.assert_allclose(
    unbound,
    general.train_on_batch({"features": x[5:10]}, {"probs": y[5:10]}),
    rtol=1e-6,
)
assert _onbatch.steps() - before == 2

# numpy's other spellings of one layout (an unaligned float32 array exports "=f", np.longlong "q") are the
# layout declared: still native
raw = np.zeros(5 * 6 * 4 + 1, np.uint8)
unaligned = np.frombuffer(raw.data, np.float32, 30, offset=1).reshape(5, 6)
unaligned[...] = x[5:10]
assert not unaligned.flags.aligned
both("unaligned float32", unaligned, y[5:10], 2)
labels64 = y.astype("int64")
both("int64 labels: declared anew", x[:5], labels64[:5], 1)
both(
    "np.longlong labels, the same layout",
    x[5:10],
    labels64[5:10].astype(np.longlong),
    2,
)

# the method as Keras shows it
assert fast.train_on_batch.__name__ == "train_on_batch"
params = list(inspect.signature(fast.train_on_batch).parameters)
assert params == ["x", "y", "sample_weight", "class_weight", "reset_metrics"], params
assert list(inspect.signature(fast.test_on_batch).parameters) == [
    "x",
    "y",
    "sample_weight",
    "reset_metrics",
]

# another thread: its own steps (the native binding is the first thread's)
errors = []


def on_thread():
    try:
        for i in range(3):
            both("thread %d" % i, x[i * 5 : (i + 1) * 5], y[i * 5 : (i + 1) * 5], None)
    except Exception as e:  # noqa: BLE001 (reported on the main thread)
        errors.append(e)


t = threading.Thread(target=on_thread)
t.start()
t.join()
assert not errors, errors
assert len(fast._on_batch) == 2, fast._on_batch
both("main thread again, int32 labels: declared anew", x[:5], y[:5], 1)
both("main thread again", x[5:10], y[5:10], 2)
print("NATIVE_SAME_AS_GENERAL_PATH")
