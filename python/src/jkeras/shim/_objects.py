"""Keras objects described by a config (optimizers, initializers, regularizers, constraints, loss classes):
the shim keeps Keras' ``{"class_name", "config"}`` and Java builds the object from it."""

from jkeras.shim._config import to_config


class ConfigObject:
    """A Keras object made from positional and keyword arguments (Keras' order in ``_positional``)."""

    _class_name = None
    _positional = ()
    _keras_module = "keras"

    def __init__(self, *args, **kwargs):
        if len(args) > len(self._positional):
            raise TypeError(
                "%s() takes %d positional arguments but %d were given"
                % (type(self).__name__, len(self._positional), len(args))
            )
        config = dict(zip(self._positional, args))
        for k, v in kwargs.items():
            if k in config:
                raise TypeError("%s() got multiple values for argument '%s'" % (type(self).__name__, k))
            config[k] = v
        self._config = config

    def _keras_config(self):
        return {"class_name": self._class_name, "config": to_config(self._config)}

    def get_config(self):
        return dict(self._config)

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return "<%s.%s %s>" % (self._keras_module, type(self).__name__, self._config)


def make_class(module_name, name, class_name, positional, base=ConfigObject):
    return type(
        name,
        (base,),
        {
            "_class_name": class_name,
            "_positional": tuple(positional.split()) if isinstance(positional, str) else tuple(positional),
            "_keras_module": module_name,
            "__module__": "jkeras.shim." + module_name.split(".")[-1],
        },
    )


# Keras 2.3.1's short names are the same function objects as the long ones (``mse = MSE = mean_squared_error``),
# so a metric given as ``losses.mae`` is named ``mean_absolute_error``.
FUNCTION_ALIASES = {
    "mse": "mean_squared_error",
    "MSE": "mean_squared_error",
    "mae": "mean_absolute_error",
    "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error",
    "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error",
    "MSLE": "mean_squared_logarithmic_error",
    "kld": "kullback_leibler_divergence",
    "KLD": "kullback_leibler_divergence",
    "cosine": "cosine_proximity",
}


def keras_function(module_name, name):
    """A Keras function known by name (``keras.losses.categorical_crossentropy``): jkeras computes it in Java,
    so here it stands for its name wherever Keras takes the function."""

    def fn(*args, **kwargs):
        from jkeras.shim import not_supported

        raise not_supported(
            "calling %s.%s on values in Python" % (module_name, name), "pass it to compile() or a layer instead"
        )

    fn.__name__ = fn.__qualname__ = fn._keras_name = FUNCTION_ALIASES.get(name, name)
    return fn


class Registry:
    """A Keras module of config objects whose names come from a Java registry (``names()``): each name,
    class or function alias alike, makes an object that Java builds from ``{"class_name": name, "config"}``."""

    def __init__(self, keras_module, java_class, positional, base=ConfigObject):
        self.keras_module = keras_module
        self.java_class = java_class
        self.positional = positional
        self.base = base
        self.cache = {}

    def names(self):
        from jkeras.shim import _java

        return [str(n) for n in _java.jclass(self.java_class).names()]

    def lookup(self, name):
        if name in self.cache:
            return self.cache[name]
        if name not in self.names():
            return None
        value = self.cache[name] = make_class(self.keras_module, name, name, self.positional.get(name, ""), self.base)
        return value

    def get(self, identifier):
        if identifier is None or isinstance(identifier, ConfigObject):
            return identifier
        if isinstance(identifier, str):
            cls = self.lookup(identifier)
            if cls is None:
                raise ValueError("Unknown %s: %s" % (self.keras_module.split(".")[-1][:-1], identifier))
            return cls()
        if isinstance(identifier, dict):
            cls = self.lookup(identifier["class_name"])
            if cls is None:
                raise ValueError("Unknown %s: %s" % (self.keras_module.split(".")[-1][:-1], identifier["class_name"]))
            return cls(**identifier.get("config", {}))
        raise ValueError("Could not interpret %s identifier: %r" % (self.keras_module.split(".")[-1][:-1], identifier))
