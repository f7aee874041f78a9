"""``keras.initializers``: every initializer name jkeras knows (``jkeras.initializers.Initializers.names()``),
classes and Keras' function aliases (``glorot_uniform(seed=1)``) alike."""

from jkeras.shim import module_getattr
from jkeras.shim._objects import ConfigObject, Registry

__jkeras_shim__ = True

Initializer = ConfigObject
_SEED = dict.fromkeys(
    "glorot_uniform glorot_normal he_uniform he_normal lecun_uniform lecun_normal "
    "GlorotUniform GlorotNormal HeUniform HeNormal LecunUniform LecunNormal".split(),
    "seed",
)
_registry = Registry(
    "keras.initializers",
    "jkeras.initializers.Initializers",
    {
        "Constant": "value",
        "constant": "value",
        "RandomNormal": "mean stddev seed",
        "random_normal": "mean stddev seed",
        "normal": "mean stddev seed",
        "RandomUniform": "minval maxval seed",
        "random_uniform": "minval maxval seed",
        "uniform": "minval maxval seed",
        "TruncatedNormal": "mean stddev seed",
        "truncated_normal": "mean stddev seed",
        "VarianceScaling": "scale mode distribution seed",
        "Orthogonal": "gain seed",
        "orthogonal": "gain seed",
        **_SEED,
    },
)


def _lookup(name):
    value = _registry.lookup(name)
    if value is not None:
        globals()[name] = value
    return value


__getattr__ = module_getattr("keras.initializers", _lookup)
get = _registry.get
java_names = _registry.names


def serialize(initializer):
    return initializer._keras_config()


def deserialize(config, custom_objects=None):
    return _registry.get(config)
