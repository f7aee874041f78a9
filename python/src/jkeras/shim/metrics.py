"""``keras.metrics``: the metric functions jkeras has (``jkeras.metrics.Metrics.names()``), by Keras name."""

from jkeras.shim import _java, losses, module_getattr, not_supported
from jkeras.shim._objects import keras_function

__jkeras_shim__ = True


def java_names():
    return [str(n) for n in _java.jclass("jkeras.metrics.Metrics").names()]


# Keras 2.3.1's metric classes that jkeras has (jkeras.metrics.<name>): positional arguments and default name.
_CLASSES = {
    "Accuracy": ("name dtype", "accuracy"),
    "BinaryAccuracy": ("name dtype threshold", "binary_accuracy"),
    "CategoricalAccuracy": ("name dtype", "categorical_accuracy"),
    "SparseCategoricalAccuracy": ("name dtype", "sparse_categorical_accuracy"),
    "TopKCategoricalAccuracy": ("k name dtype", "top_k_categorical_accuracy"),
    "SparseTopKCategoricalAccuracy": ("k name dtype", "sparse_top_k_categorical_accuracy"),
}


class Metric:
    """A Keras metric class jkeras has in Java (``BinaryAccuracy(threshold=0.7)``), for ``compile(metrics=...)``."""

    _class_name = None
    _positional = ()
    _default_name = None

    @_java.java_errors
    def __init__(self, *args, **kwargs):
        if type(self)._class_name is None:
            raise not_supported("keras.metrics.Metric subclasses written in Python")
        if len(args) > len(self._positional):
            raise TypeError("%s() takes %d positional arguments" % (self._class_name, len(self._positional)))
        a = dict(zip(self._positional, args))
        a.update(kwargs)
        unknown = set(a) - set(self._positional)
        if unknown:
            raise TypeError("__init__() got an unexpected keyword argument '%s'" % sorted(unknown)[0])
        if a.get("dtype") not in (None, "float32"):
            raise not_supported("keras.metrics.%s(dtype=%r)" % (self._class_name, a["dtype"]))
        cls = _java.jclass("jkeras.metrics." + self._class_name)
        name = a.get("name") or self._default_name
        if "k" in self._positional:
            self._j = cls(name, int(a.get("k", 5)))
        elif "threshold" in self._positional:
            self._j = cls(name, float(a.get("threshold", 0.5)))
        else:
            self._j = cls(name)

    @property
    def name(self):
        return str(self._j.name())


_cache = {}


def _lookup(name):
    if name in _cache:
        return _cache[name]
    if name in _CLASSES:
        positional, default = _CLASSES[name]
        value = type(
            name,
            (Metric,),
            {
                "_class_name": name,
                "_positional": tuple(positional.split()),
                "_default_name": default,
                "__module__": __name__,
            },
        )
    elif name not in java_names():
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
    if isinstance(metrics, Metric):
        return metrics._j
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
