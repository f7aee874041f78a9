"""``keras.backend`` (``K``): the functions a training script calls outside layers (data format, floatx,
epsilon, ``clear_session``, ``get_value``/``set_value`` of a learning rate, ``int_shape``). Keras' tensor
functions build graph ops inside layers; in jkeras those layers are Java (``jkeras.backend.K``)."""

import numpy as np

from jkeras.shim import _java, module_getattr, not_supported

__jkeras_shim__ = True

_state = {"image_data_format": "channels_last", "floatx": "float32", "epsilon": 1e-7}


def backend():
    return "tensorflow"


def image_data_format():
    return _state["image_data_format"]


def set_image_data_format(data_format):
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("Unknown data_format: " + str(data_format))
    if data_format != "channels_last":
        raise not_supported("K.set_image_data_format('channels_first') (give data_format= to each layer instead)")
    _state["image_data_format"] = str(data_format)


def floatx():
    return _state["floatx"]


def set_floatx(value):
    if value != "float32":
        raise not_supported("K.set_floatx(%r) (jkeras computes in float32)" % (value,))


def epsilon():
    return _state["epsilon"]


def set_epsilon(value):
    if float(value) != 1e-7:
        raise not_supported("K.set_epsilon(%r)" % (value,))


def clear_session():
    """Resets layer name counters, as Keras' ``clear_session`` does (models hold their own Java graphs)."""
    _java.jclass("jkeras.layers.Layer").resetNames()


def int_shape(x):
    shape = getattr(x, "shape", None)
    if shape is None:
        raise not_supported("K.int_shape of %r" % (x,))
    return tuple(shape)


class _Value:
    """A variable-like value (``model.optimizer.lr``) read by ``get_value`` and written by ``set_value``."""

    def __init__(self, get, set_):
        self._get = get
        self._set = set_

    def __float__(self):
        return self._get()


def get_value(x):
    if isinstance(x, _Value):
        return np.float32(x._get())
    if isinstance(x, (int, float, np.ndarray, np.generic)):
        return np.asarray(x)
    raise not_supported("K.get_value of %r" % (x,))


def set_value(x, value):
    if isinstance(x, _Value):
        x._set(float(value))
        return
    raise not_supported("K.set_value of %r" % (x,))


def _lookup(name):
    return None


__getattr__ = module_getattr("keras.backend", _lookup)
