"""``keras.constraints``: ``MaxNorm``, ``NonNeg``, ``UnitNorm``, ``MinMaxNorm`` and their aliases
(``jkeras.constraints.Constraints.names()``)."""

from jkeras.shim import module_getattr
from jkeras.shim._objects import ConfigObject, Registry

__jkeras_shim__ = True

Constraint = ConfigObject
_MINMAX = "min_value max_value rate axis"
_registry = Registry(
    "keras.constraints",
    "jkeras.constraints.Constraints",
    {
        "MaxNorm": "max_value axis",
        "max_norm": "max_value axis",
        "maxnorm": "max_value axis",
        "UnitNorm": "axis",
        "unit_norm": "axis",
        "unitnorm": "axis",
        "MinMaxNorm": _MINMAX,
        "min_max_norm": _MINMAX,
    },
)


def _lookup(name):
    value = _registry.lookup(name)
    if value is not None:
        globals()[name] = value
    return value


__getattr__ = module_getattr("keras.constraints", _lookup)
get = _registry.get
java_names = _registry.names


def serialize(constraint):
    return constraint._keras_config()


def deserialize(config, custom_objects=None):
    return _registry.get(config)
