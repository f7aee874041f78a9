"""``keras.optimizers``: SGD, RMSprop, Adagrad, Adadelta, Adam, Adamax, Nadam (Keras 2.3.1's arguments, ``lr``
included), built in Java by ``jkeras.optimizers.Optimizers.deserialize``."""

from jkeras.shim import _java, module_getattr, not_supported
from jkeras.shim._objects import ConfigObject, make_class

__jkeras_shim__ = True


class Optimizer(ConfigObject):
    _keras_module = "keras.optimizers"

    def __init__(self, *args, **kwargs):
        if type(self)._class_name is None:
            raise not_supported("keras.optimizers.Optimizer subclasses written in Python")
        super().__init__(*args, **kwargs)


_POSITIONAL = {
    "SGD": "learning_rate momentum nesterov",
    "RMSprop": "learning_rate rho",
    "Adagrad": "learning_rate",
    "Adadelta": "learning_rate rho",
    "Adam": "learning_rate beta_1 beta_2 amsgrad",
    "Adamax": "learning_rate beta_1 beta_2",
    "Nadam": "learning_rate beta_1 beta_2",
}


def java_names():
    return [str(n) for n in _java.jclass("jkeras.optimizers.Optimizers").identifiers()]


_classes = {}


def _lookup(name):
    if name in _classes:
        return _classes[name]
    known = {n.lower(): n for n in _POSITIONAL}
    if name not in _POSITIONAL or name.lower() not in [n.lower() for n in java_names()]:
        return None
    cls = _classes[name] = make_class("keras.optimizers", name, known[name.lower()], _POSITIONAL[name], Optimizer)
    globals()[name] = cls
    return cls


__getattr__ = module_getattr("keras.optimizers", _lookup)


class _JavaOptimizer:
    """The optimizer of a compiled model (``model.optimizer``): its config and learning rate."""

    def __init__(self, j, model):
        self._j = j
        self._model = model

    @property
    def lr(self):
        from jkeras.shim.backend import _Value

        return _Value(lambda: float(self._model.learningRate()), lambda v: self._model.setLearningRate(v))

    learning_rate = lr

    def get_config(self):
        return _java.to_python(_java.jclass("jkeras.optimizers.Optimizers").serialize(self._j))["config"]


def wrap(j, model):
    return _JavaOptimizer(j, model)


def to_java(optimizer):
    """A string stays a string; a shim optimizer becomes its Java object."""
    if isinstance(optimizer, str) or optimizer is None:
        return optimizer
    if isinstance(optimizer, _JavaOptimizer):
        return optimizer._j
    if isinstance(optimizer, ConfigObject):
        return _java.jclass("jkeras.optimizers.Optimizers").deserialize(optimizer._keras_config())
    raise ValueError("Could not interpret optimizer identifier: %r" % (optimizer,))


def get(identifier):
    if isinstance(identifier, str):
        cls = _lookup({n.lower(): n for n in _POSITIONAL}.get(identifier.lower(), identifier))
        if cls is None:
            raise ValueError("Unknown optimizer: " + identifier)
        return cls()
    return identifier


def serialize(optimizer):
    return optimizer._keras_config()


def deserialize(config, custom_objects=None):
    return get(config["class_name"]).__class__(**config.get("config", {}))
