"""Makes real Keras 2.3.1 run on Python 3.11, TensorFlow 2.18 and h5py 3: import before ``keras``.

Keras 2.3.1 is the behaviour jkeras follows; the compat harness runs it as a reference beside
tf-keras (scripts/setup-keras231.sh builds its environment). Each patch stands in for something the
2019 release took for granted and the current stack removed; none changes what Keras computes.
"""

import collections
import collections.abc
import contextlib
import os

# Keras 2.3.1's metrics module reads tf.keras.metrics.MeanIoU at import: it must be tf-keras (a
# Keras 2 API), not the `keras` package that Keras 2.3.1 itself now occupies.
os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")
# Saving .h5 files (ModelCheckpoint, model.save) on file systems without HDF5 file locks.
os.environ.setdefault("HDF5_USE_FILE_LOCKING", "FALSE")

# Stands in for the ABC aliases Python 3.10 removed from `collections` (Keras 2.3.1 uses
# collections.Iterable, Mapping, ... in its utils and engine).
for _name in ("Iterable", "Mapping", "Sequence", "MutableMapping", "Callable", "Container"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import tensorflow as tf
from tensorflow.python.framework import ops as _tf_ops

# Stands in for ops._TensorLike and ops.is_dense_tensor_like, removed in TensorFlow 2.x: Keras
# 2.3.1's backend (is_tensor, is_keras_tensor) asks whether a value is a tensor or a variable.
if not hasattr(_tf_ops, "_TensorLike"):
    _tf_ops._TensorLike = (tf.Tensor, tf.Variable)
if not hasattr(_tf_ops, "is_dense_tensor_like"):
    _tf_ops.is_dense_tensor_like = lambda t: isinstance(t, (tf.Tensor, tf.Variable))

# Stands in for TensorFlow 1's default graph mode: in eager mode Keras 2.3.1 trips over
# TensorFlow's own KerasTensor; it was written for graphs and sessions.
tf.compat.v1.disable_eager_execution()
# Stands in for TensorFlow 1's control flow (Switch/Merge): with TensorFlow 2's functional `If`,
# the gradient of a layer switched on the learning phase (BatchNormalization, Dropout) cannot be
# built once the forward op has run in the session, so a model that predicted, evaluated or was
# loaded before its first fit failed ("Connecting to invalid output 1 of source node .../cond").
tf.compat.v1.disable_control_flow_v2()


class _GraphModeContext:
    """TensorFlow's eager ``context`` module as Keras 2.3.1's backend sees it, except that
    ``eager_mode()`` stays in graph mode."""

    def __init__(self, real):
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    @staticmethod
    def eager_mode():
        return contextlib.nullcontext()


def after_import(keras):
    """The patches that need the imported ``keras`` module; call right after ``import keras``."""
    from keras.backend import tensorflow_backend as backend

    # Stands in for TensorFlow 1, where Keras 2.3.1's `@K.eager` functions (Layer.get_weights and
    # set_weights, the LSTM's unit_forget_bias initializer) ran in the one graph: on TensorFlow 2
    # they switch to eager mode and then touch graph tensors ("... is out of scope", "Attempting
    # to capture an EagerTensor without building a function").
    backend.context = _GraphModeContext(backend.context)
    # Stands in for K.get_value and K.eval on TensorFlow 1: 2.3.1 calls `.numpy()` when it sees
    # TensorFlow 2, which graph tensors do not have; TensorFlow's legacy backend reads the value
    # through the session.
    for name in ("get_value", "eval"):
        setattr(backend, name, getattr(backend.tf_keras_backend, name))
        setattr(keras.backend, name, getattr(backend.tf_keras_backend, name))

    # Stands in for TensorFlow 2.0's tf.config.experimental_list_devices (removed in 2.1), which
    # Keras 2.3.1's _get_available_gpus calls to decide whether channels_first convolutions and
    # pooling run as they are (a GPU) or transposed to channels_last around the op (a CPU).
    import tensorflow as tf

    backend._LOCAL_DEVICES = [d.name for d in tf.config.list_logical_devices()]

    # Stands in for h5py 2, which read the string attributes Keras 2.3.1 writes (model config,
    # layer and weight names, versions) back as bytes: Keras calls `.decode('utf8')` on them, and
    # h5py 3 returns `str` (or arrays of `str` objects). Only Keras uses h5py in this process.
    import h5py
    import numpy as np

    read = h5py.AttributeManager.__getitem__

    def as_bytes(value):
        return value.encode("utf-8") if isinstance(value, str) else value

    def getitem_as_bytes(self, name):
        value = read(self, name)
        if isinstance(value, np.ndarray) and value.dtype.kind in ("O", "U"):
            return np.array([as_bytes(v) for v in value.tolist()], dtype=object)
        return as_bytes(value)

    h5py.AttributeManager.__getitem__ = getitem_as_bytes

    # Stands in for tf.config.experimental_list_devices (removed in TensorFlow 2.1), which
    # _get_available_gpus calls when BatchNormalization normalizes axis 1 of a 4-D input (is NCHW
    # supported?): the same device names, from TensorFlow 2's list_logical_devices.
    if not hasattr(tf.config, "experimental_list_devices"):
        backend._LOCAL_DEVICES = [d.name for d in tf.config.list_logical_devices()]
    return keras
