"""The per-step calls copy each batch into Java arrays reused while the shape and dtype hold
(``jkeras.shim._java.OnBatch``): a sequence of different batches (repeated shapes, a shape change, float64,
int64 and uint8 arrays, a non-contiguous view, a one-element list, a two-input model's list) gives what the
general path (dicts by input and output name) gives for the same batches, on the script's thread and on a
thread of its own; an earlier call's prediction is not overwritten by later ones."""

import threading

import numpy as np
from keras.layers import Dense, Input, concatenate
from keras.models import Model

rng = np.random.RandomState(0)


def build():
    inp = Input((6,), name="features")
    out = Dense(3, activation="softmax", name="probs")(Dense(8, activation="relu")(inp))
    m = Model(inp, out)
    m.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def build_two():
    a, b = Input((4,), name="a"), Input((2,), name="b")
    out = Dense(1, name="out")(concatenate([Dense(5, activation="tanh")(a), b]))
    m = Model([a, b], out)
    m.compile("adam", "mse", metrics=["mae"])
    return m


def check(direct, copied, label):
    copied.set_weights(direct.get_weights())
    layouts = [
        (16, "float32", "int32"),
        (16, "float32", "int32"),
        (5, "float64", "int64"),
        (16, "float32", "int32"),
        (1, "float32", "int32"),
        (5, "float64", "int64"),
        (7, "uint8", "int32"),
        (16, "strided", "int32"),
    ]
    earlier = []
    for i, (n, xt, yt) in enumerate(layouts):
        if xt == "strided":
            x = rng.rand(n, 12).astype("float32")[:, ::2]
            assert not x.flags.c_contiguous
        else:
            x = (rng.rand(n, 6) * 5).astype(xt)
        y = rng.randint(0, 3, n).astype(yt)
        xs = [x] if i == 4 else x
        got = direct.train_on_batch(xs, y), direct.test_on_batch(xs, y)
        want = (
            copied.train_on_batch({"features": x}, {"probs": y}),
            copied.test_on_batch({"features": x}, {"probs": y}),
        )
        assert all(type(v) is float for v in got[0] + got[1]), got
        np.testing.assert_allclose(got, want, rtol=1e-6, err_msg=f"{label} batch {i}")
        p = direct.predict_on_batch(x)
        np.testing.assert_allclose(p, copied.predict_on_batch({"features": x}), rtol=1e-6, err_msg=f"{label} {i}")
        earlier.append((p, p.copy()))
    for p, at_the_time in earlier:
        np.testing.assert_array_equal(p, at_the_time)
    assert direct._steps()._slots[0], "the per-step calls took the general path"


check(build(), build(), "main")

# a batch Java refuses fails as Keras' does, and the next call works
m = build()
try:
    m.train_on_batch(np.zeros((4, 5), "float32"), np.zeros(4, "int32"))
    raise AssertionError("a batch of 5 features was accepted by a model of 6")
except ValueError as e:
    assert "6" in str(e) and "5" in str(e), e
assert isinstance(m.train_on_batch(np.zeros((4, 6), "float32"), np.zeros(4, "int32")), list)
try:
    m.train_on_batch(np.zeros((0, 6), "float32"), np.zeros(0, "int32"))
    raise AssertionError("an empty batch was accepted")
except ValueError as e:
    assert "empty batch" in str(e), e

two, two_copied = build_two(), build_two()
two_copied.set_weights(two.get_weights())
for n in (8, 8, 3, 8):
    a, b = rng.rand(n, 4), rng.rand(n, 2).astype("float32")
    y = rng.rand(n, 1).astype("float32")
    got = two.train_on_batch([a, b], y), two.test_on_batch((a, b), y)
    want = two_copied.train_on_batch({"a": a, "b": b}, {"out": y}), two_copied.test_on_batch({"a": a, "b": b}, y)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    np.testing.assert_allclose(two.predict_on_batch([a, b]), two_copied.predict_on_batch({"a": a, "b": b}), rtol=1e-6)

# a thread of the script's own gets arrays of its own (a model may be driven from another thread)
shared, shared_copied = build(), build()
errors = []


def on_thread():
    try:
        check(shared, shared_copied, "thread")
    except Exception as e:  # noqa: BLE001 (reported on the main thread)
        errors.append(e)


shared.train_on_batch(np.zeros((16, 6), "float32"), np.zeros(16, "int32"))
t = threading.Thread(target=on_thread)
t.start()
t.join()
assert not errors, errors
assert len(shared._on_batch) == 2, shared._on_batch
print("SAME_AS_GENERAL_PATH")
