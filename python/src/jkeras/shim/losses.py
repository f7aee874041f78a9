"""``keras.losses``: the loss functions and classes jkeras has (``jkeras.losses.Losses``), by their Keras names."""

from jkeras.shim import _java, module_getattr, not_supported
from jkeras.shim._objects import ConfigObject, keras_function, make_class

__jkeras_shim__ = True

# Keras 2.3.1's loss classes and their positional arguments (before reduction and name).
_CLASSES = {
    "MeanSquaredError": "",
    "MeanAbsoluteError": "",
    "MeanAbsolutePercentageError": "",
    "MeanSquaredLogarithmicError": "",
    "BinaryCrossentropy": "from_logits label_smoothing",
    "CategoricalCrossentropy": "from_logits label_smoothing",
    "SparseCategoricalCrossentropy": "from_logits",
    "Hinge": "",
    "SquaredHinge": "",
    "CategoricalHinge": "",
    "Poisson": "",
    "LogCosh": "",
    "KLDivergence": "",
    "Huber": "delta",
    "CosineSimilarity": "axis",
}


class Loss(ConfigObject):
    _keras_module = "keras.losses"

    def __init__(self, *args, **kwargs):
        if type(self)._class_name is None:
            raise not_supported("keras.losses.Loss subclasses written in Python")
        super().__init__(*args, **kwargs)


def java_names():
    return [str(n) for n in _java.jclass("jkeras.losses.Losses").names()]


_cache = {}


def _lookup(name):
    if name in _cache:
        return _cache[name]
    if name in _CLASSES:
        if _java_class_exists("jkeras.losses." + name):
            value = make_class("keras.losses", name, name, _CLASSES[name], Loss)
        else:
            return None
    elif name in java_names():
        value = keras_function("keras.losses", name)
    else:
        return None
    _cache[name] = value
    globals()[name] = value
    return value


def _java_class_exists(name):
    try:
        _java.jclass(name)
        return True
    except Exception:
        return False


__getattr__ = module_getattr("keras.losses", _lookup)


def get(identifier):
    if isinstance(identifier, str):
        value = _lookup(identifier)
        if value is None:
            raise ValueError("Unknown loss function:" + identifier)
        return value
    return identifier


def to_java(loss):
    """``compile``'s loss: names stay names, shim classes become Java losses, lists and dicts per output."""
    if loss is None or isinstance(loss, str):
        return loss
    if isinstance(loss, dict):
        return {str(k): to_java(v) for k, v in loss.items()}
    if isinstance(loss, (list, tuple)):
        return [to_java(v) for v in loss]
    if isinstance(loss, Loss):
        return _java.jclass("jkeras.losses.Losses").deserialize(loss._keras_config())
    name = getattr(loss, "_keras_name", None)
    if name is not None:
        return name
    raise not_supported(
        "a loss function written in Python (%s)" % getattr(loss, "__name__", repr(loss)),
        "use one of Keras' losses, or port it to Java (jkeras.losses.Losses.custom)",
    )
