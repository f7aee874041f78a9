"""``keras.metrics``: the metric functions jkeras has (``jkeras.metrics.Metrics.names()``), by Keras name."""

from jkeras.shim import _java, losses, module_getattr, not_supported
from jkeras.shim._objects import keras_function

__jkeras_shim__ = True


def java_names():
    return [str(n) for n in _java.jclass("jkeras.metrics.Metrics").names()]


_cache = {}


def _lookup(name):
    if name in _cache:
        return _cache[name]
    if name not in java_names():
        value = losses._lookup(name)
        if value is None or isinstance(value, type):
            return None
    else:
        value = keras_function("keras.metrics", name)
    _cache[name] = value
    globals()[name] = value
    return value


__getattr__ = module_getattr("keras.metrics", _lookup)


def to_java(metrics):
    """``compile``'s metrics: names (and Keras' metric and loss functions) by name, per output in lists and dicts."""
    if metrics is None or isinstance(metrics, str):
        return metrics
    if isinstance(metrics, dict):
        return {str(k): to_java(v) for k, v in metrics.items()}
    if isinstance(metrics, (list, tuple)):
        return [to_java(v) for v in metrics]
    if isinstance(metrics, losses.Loss):
        return losses.to_java(metrics)
    name = getattr(metrics, "_keras_name", None)
    if name is not None:
        return name
    raise not_supported(
        "a metric written in Python (%s)" % getattr(metrics, "__name__", repr(metrics)),
        "use one of Keras' metrics, or port it to Java (jkeras.metrics.Metrics.custom)",
    )


def get(identifier):
    if isinstance(identifier, str):
        value = _lookup(identifier)
        if value is None:
            raise ValueError("Unknown metric function:" + identifier)
        return value
    return identifier
