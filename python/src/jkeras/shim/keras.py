"""The ``keras`` package of the shim (also ``tensorflow.keras`` and ``tf_keras``)."""

from jkeras.shim import (
    activations,
    backend,
    callbacks,
    constraints,
    datasets,
    initializers,
    layers,
    losses,
    metrics,
    models,
    module_getattr,
    optimizers,
    preprocessing,
    regularizers,
    utils,
)
from jkeras.shim.layers import Input
from jkeras.shim.models import Model, Sequential

__jkeras_shim__ = True
__version__ = "2.3.1"
__path__ = []  # a package: submodules come through the import hook

__all__ = [
    "Input",
    "Model",
    "Sequential",
    "activations",
    "backend",
    "callbacks",
    "constraints",
    "datasets",
    "initializers",
    "layers",
    "losses",
    "metrics",
    "models",
    "optimizers",
    "preprocessing",
    "regularizers",
    "utils",
]

__getattr__ = module_getattr("keras")
