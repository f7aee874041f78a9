"""``keras.activations``: the activations jkeras has (``jkeras.activations.Activations.names()``), by Keras name;
each stands for its name where Keras takes an activation (``Dense(8, activation=activations.relu)``)."""

from jkeras.shim import _java, module_getattr
from jkeras.shim._objects import keras_function

__jkeras_shim__ = True


def java_names():
    return [str(n) for n in _java.jclass("jkeras.activations.Activations").names()]


_cache = {}


def _lookup(name):
    if name in _cache:
        return _cache[name]
    if name not in java_names():
        return None
    value = _cache[name] = keras_function("keras.activations", name)
    globals()[name] = value
    return value


__getattr__ = module_getattr("keras.activations", _lookup)


def get(identifier):
    if identifier is None:
        return _lookup("linear")
    if isinstance(identifier, str):
        value = _lookup(identifier)
        if value is None:
            raise ValueError("Unknown activation function:" + identifier)
        return value
    return identifier


def serialize(activation):
    return activation._keras_name
