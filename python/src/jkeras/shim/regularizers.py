"""``keras.regularizers``: ``L1L2``, ``l1``, ``l2``, ``l1_l2`` (``jkeras.regularizers.Regularizers.names()``)."""

from jkeras.shim import module_getattr
from jkeras.shim._objects import ConfigObject, Registry

__jkeras_shim__ = True

Regularizer = ConfigObject
_registry = Registry(
    "keras.regularizers",
    "jkeras.regularizers.Regularizers",
    {"L1L2": "l1 l2", "l1": "l", "l2": "l", "l1_l2": "l1 l2"},
)


def _lookup(name):
    value = _registry.lookup(name)
    if value is not None:
        globals()[name] = value
    return value


__getattr__ = module_getattr("keras.regularizers", _lookup)
get = _registry.get
java_names = _registry.names


def serialize(regularizer):
    return regularizer._keras_config()


def deserialize(config, custom_objects=None):
    return _registry.get(config)
