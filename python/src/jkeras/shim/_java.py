"""The shim's way to jkeras' Java classes (through Jep), and the conversions between the two sides."""

import functools
import os
import threading

import numpy as np

from jkeras.shim import not_supported

try:  # the native fast path of train_on_batch/test_on_batch (_onbatch.c), built by scripts/setup-python.sh
    from jkeras.shim import _onbatch
except ImportError:
    _onbatch = None

_classes = {}


def jclass(name):
    """The Java class ``name`` (e.g. ``jkeras.layers.Layers``); fails clearly outside the JVM."""
    c = _classes.get(name)
    if c is None:
        try:
            import jep
        except ImportError:
            raise RuntimeError(
                "jkeras' keras shim builds and trains models only inside the JVM (`jkeras run SCRIPT.py`); "
                "this Python process has no JVM."
            ) from None
        c = _classes[name] = jep.findClass(name)
    return c


def support():
    return jclass("jkeras.python.ShimSupport")


def is_java(obj):
    return type(obj).__module__ in ("java.lang", "jep") or hasattr(obj, "getClass")


def java_message(e):
    """The message of a Java exception raised through Jep, without Jep's class-name prefix."""
    text = str(e)
    for prefix in ("java.lang.IllegalArgumentException: ", "java.lang.IllegalStateException: "):
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _is_java_exception(e):
    return str(e).startswith("java.") or type(e).__module__.startswith("java") or "Java" in type(e).__name__


def java_errors(fn):
    """Re-raises Java's IllegalArgumentException as Python's ValueError, with the Java message, as Keras would."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Exception as e:
            if not _is_java_exception(e):
                raise
            text = str(e)
            if "IllegalArgumentException" in type(e).__name__ or "IllegalArgumentException" in text:
                raise ValueError(java_message(e)) from None
            if "UnsupportedOperationException" in type(e).__name__ or "UnsupportedOperationException" in text:
                raise not_supported(java_message(e).split(": ", 1)[-1]) from None
            raise RuntimeError(java_message(e)) from None

    return wrapper


# ------------------------------------------------------------------ arrays


def to_array(x):
    """A numpy array (or anything numpy takes) as a jkeras NDArray. Floats go to float32 (Keras' floatx)."""
    a = np.asarray(x)
    if a.dtype == np.float32 or a.dtype == np.int32 or a.dtype == np.int64:
        a = np.ascontiguousarray(a)
    else:
        a = np.ascontiguousarray(a, dtype=np.float32)
    return support().array(a)


def to_data(x):
    """Keras array data: one array, a list (input order) or a dict by name; None stays None."""
    if x is None:
        return None
    if isinstance(x, dict):
        return support().data({str(k): _jep_array(v) for k, v in x.items()})
    if isinstance(x, (list, tuple)):
        if len(x) == 1:
            return to_array(x[0])
        return support().data([_jep_array(v) for v in x])
    return to_array(x)


def call_data(x):
    """``to_data`` for ``fit``, ``evaluate`` and ``predict`` on arrays: a float32 (or int32/int64) C-contiguous
    numpy array is read by Java where it is, for the call only (the caller holds it meanwhile), instead of
    converted whole at each call (16-37 ms for MNIST's training set, docs/run.md); anything else is copied."""
    if type(x) is np.ndarray and x.dtype in _AS_IS and x.flags.c_contiguous and 0 < x.nbytes < _WRAP_MAX_BYTES:
        return support().inPlace(x.ctypes.data, x.dtype.name, list(x.shape))
    return to_data(x)


# A direct buffer's limit is an int.
_WRAP_MAX_BYTES = 1 << 31


def batch_data(x):
    """``to_data`` for the per-step calls: a float32 (or int32/int64) C-contiguous numpy array goes as it is
    (Jep converts it in the same call), anything else through ``to_data``."""
    if type(x) is np.ndarray and x.dtype in _AS_IS and x.flags.c_contiguous:
        return x
    return to_data(x)


_AS_IS = (np.dtype(np.float32), np.dtype(np.int32), np.dtype(np.int64))


class OnBatch:
    """A model's ``train_on_batch``, ``test_on_batch`` and ``predict_on_batch`` for one thread, through Java's
    ``ShimSupport.OnBatch``. One C-contiguous float32/int32/int64 x and y are read in place by Java (their
    layout declared once; the native fast path, ``_onbatch.c``, takes these steps without Python when built);
    other numpy arrays are copied into Java-owned direct arrays kept for their place (x or y, position) while
    their shape and dtype hold (one ``np.copyto``; other dtypes cast to float32 as ``to_array`` does). The scores
    are read from a direct buffer. Each method returns None when the data takes the general way (``to_data``: a
    dict, None, something not an array, an array of more than ``_SLOT_MAX_BYTES``)."""

    __slots__ = ("_in_place", "_j", "_native", "_scores", "_slots", "_test", "_train", "_train_at")

    def __init__(self, jmodel):
        self._j = support().onBatch(jmodel)
        self._train = self._j.train
        self._test = self._j.test
        self._train_at = self._j.trainAt
        self._in_place = None  # (x shape, x dtype, y shape, y dtype) declared to Java
        self._slots = ([], [])  # per role (x, y), per position: [shape, source dtype, numpy view]
        self._scores = None
        # The native fast path's handle on this object (None without it): it runs the in-place step in C.
        self._native = None
        if native_available():
            handle = self._j.register()
            self._native = _onbatch.bind(handle)
            if self._native is None:
                self._j.claim(handle)  # not taken: out of Java's table
            else:
                self._result(0)  # where Java writes the scores, for the native path too

    def _native_result(self, n):
        if n < 0:
            self._j.rethrow()  # the step's Java exception, raised through Jep
        return self._result(n)

    def train(self, x, y):
        """A step the native fast path did not take (or one without it): read in place, else copied into slots."""
        if type(x) is np.ndarray and type(y) is np.ndarray and self._readable_in_place(x, y):
            return self._result(self._train_at(x.ctypes.data, y.ctypes.data))
        nx = self._put(0, x)
        ny = self._put(1, y) if nx > 0 else -1
        return None if ny < 0 else self._result(self._train(nx, ny))

    def test(self, x, y):
        if self._native is not None:
            r = _onbatch.test(self._native, x, y)
            if r is not None:
                return self._native_result(r) if type(r) is int else r
        if type(x) is np.ndarray and type(y) is np.ndarray and self._readable_in_place(x, y):
            return self._result(self._j.testAt(x.ctypes.data, y.ctypes.data))
        nx = self._put(0, x)
        ny = self._put(1, y) if nx > 0 else -1
        return None if ny < 0 else self._result(self._test(nx, ny))

    def predict(self, x):
        nx = self._put(0, x)
        if nx < 0:
            return None
        out = [np.asarray(a) for a in self._j.predict(nx)]
        return out[0] if len(out) == 1 else out

    def _readable_in_place(self, x, y):
        """Whether Java can read ``x`` and ``y`` in place: as declared last time, or declared now."""
        p = self._in_place
        return (
            p is not None
            and p[0] == x.shape
            and p[1] is x.dtype
            and p[2] == y.shape
            and p[3] is y.dtype
            and x.flags.c_contiguous
            and y.flags.c_contiguous
        ) or self._declare(x, y)

    def _declare(self, x, y):
        """Whether ``x`` and ``y`` can be read in place (then declared to Java): C-contiguous, of a dtype Java
        takes as it is, not larger than a slot."""
        if not (x.dtype in _AS_IS and y.dtype in _AS_IS and x.flags.c_contiguous and y.flags.c_contiguous):
            return False
        if max(x.nbytes, y.nbytes) > _SLOT_MAX_BYTES or not (x.size and y.size):
            return False  # an empty batch goes the general way, to Keras' error
        if self._native is not None:
            _onbatch.declare(self._native, None, None)  # nothing read natively until both sides agree again
        self._j.inPlace(x.dtype.name, list(x.shape), y.dtype.name, list(y.shape))
        self._in_place = (x.shape, x.dtype, y.shape, y.dtype)
        if self._native is not None:
            _onbatch.declare(self._native, x, y)  # False (Python's way only) for a layout C does not take
        return True

    def _put(self, role, x):
        """Copies ``x`` (an array, or a list or tuple of them) into ``role``'s slots: how many, -1 if it cannot."""
        if type(x) is np.ndarray:
            slots = self._slots[role]
            if slots:
                e = slots[0]
                if e[0] == x.shape and e[1] is x.dtype:
                    np.copyto(e[2], x, casting="unsafe")
                    return 1
            return 1 if self._fill(role, 0, x) else -1
        if type(x) in (list, tuple) and x and all(type(v) is np.ndarray for v in x):
            for i, v in enumerate(x):
                if not self._fill(role, i, v):
                    return -1
            return len(x)
        return -1

    def _fill(self, role, index, a):
        dtype = a.dtype
        if dtype not in _AS_IS:
            if dtype.kind not in "biuf":
                return False
            dtype = _FLOAT32
        if a.size * dtype.itemsize > _SLOT_MAX_BYTES:
            return False
        slots = self._slots[role]
        while len(slots) <= index:
            slots.append(None)
        e = slots[index]
        if e is None or e[0] != a.shape or e[2].dtype != dtype:
            raw = np.asarray(self._j.slot(role, index, dtype.name, list(a.shape)))
            e = slots[index] = [a.shape, a.dtype, raw[: a.size * dtype.itemsize].view(dtype).reshape(a.shape)]
        e[1] = a.dtype
        np.copyto(e[2], a, casting="unsafe")
        return True

    def _result(self, n):
        s = self._scores
        if s is None or n > s.shape[0]:
            s = self._scores = np.asarray(self._j.scores()).view(np.float64)
            if self._native is not None:
                _onbatch.scores(self._native, s.ctypes.data, s.shape[0])
        return s.item(0) if n == 1 else s[:n].tolist()


_native_threads = {}  # thread id -> whether the native fast path works on it


def native_available():
    """Whether the native fast path of the per-step calls works on this thread: built, in a JVM that knows the
    thread, and not turned off with ``JKERAS_SHIM_NATIVE=0``."""
    t = threading.get_ident()
    ok = _native_threads.get(t)
    if ok is None:
        ok = _native_threads[t] = (
            _onbatch is not None and os.environ.get("JKERAS_SHIM_NATIVE", "1") != "0" and _onbatch.init(np.ndarray)
        )
    return ok


# Arrays larger than this (a whole data set given to train_on_batch) are not kept: they go through to_data.
_SLOT_MAX_BYTES = 64 << 20
_FLOAT32 = np.dtype(np.float32)


def _jep_array(x):
    a = np.asarray(x)
    if a.dtype in (np.float32, np.int32, np.int64):
        return np.ascontiguousarray(a)
    return np.ascontiguousarray(a, dtype=np.float32)


def to_numpy(jarray):
    """A jkeras NDArray as a numpy array."""
    return np.asarray(support().numpy(jarray))


def to_numpy_list(jarrays):
    return [np.asarray(a) for a in support().numpyList(jarrays)]


def shape_tuple(shape):
    """A Java shape (-1 for unknown) as Keras' tuple (None for unknown)."""
    return tuple(None if d < 0 else int(d) for d in shape)


def to_python(value):
    """A Java value (Map, List, boxed number) as plain Python, recursively."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.ndarray):
        return value
    if hasattr(value, "entrySet"):
        return {str(e.getKey()): to_python(e.getValue()) for e in value.entrySet()}
    if hasattr(value, "iterator") or isinstance(value, (list, tuple)):
        return [to_python(v) for v in value]
    if hasattr(value, "doubleValue"):
        return float(value.doubleValue())
    if hasattr(value, "booleanValue"):
        return bool(value.booleanValue())
    return value
