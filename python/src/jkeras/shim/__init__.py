"""jkeras' ``keras`` for scripts run in the JVM (``jkeras run SCRIPT.py``, ``jkeras.python.KerasScript``).

``install()`` puts an import hook first on ``sys.meta_path`` that answers ``keras``, ``tensorflow.keras``,
``tf_keras`` and ``tensorflow`` (and their submodules: ``keras.models``, ``keras.layers.core``,
``keras.utils.np_utils``, ...) with the modules of this package, whose classes and functions create and
drive jkeras' Java objects. TensorFlow's Python runtime is never imported: ``tensorflow`` is a module whose
``keras`` works and whose other names fail clearly.

A Keras name jkeras does not have fails with :class:`NotSupportedError` ("not supported by jkeras yet:
keras.layers.ConvLSTM2D"), naming the script's file and line.

Modules are created when imported, and only the parts that build models need the JVM, so data modules
(``keras.utils.Sequence``, ``to_categorical``) import in worker processes too.
"""

import importlib
import importlib.abc
import importlib.machinery
import os
import sys

__all__ = ["MARK", "NotSupportedError", "install", "installed", "not_supported", "uninstall"]

#: Set on every module the hook answers with, so a shim module can be told from the real package.
MARK = "__jkeras_shim__"

# Keras module path (without the root) -> module of this package. Keras 2.3.1's own submodule paths
# map to the module that holds their names.
_MODULES = {
    "": "jkeras.shim.keras",
    "models": "jkeras.shim.models",
    "engine": "jkeras.shim.models",
    "engine.training": "jkeras.shim.models",
    "engine.sequential": "jkeras.shim.models",
    "engine.network": "jkeras.shim.models",
    "engine.topology": "jkeras.shim.models",
    "engine.input_layer": "jkeras.shim.layers",
    "engine.base_layer": "jkeras.shim.layers",
    "layers": "jkeras.shim.layers",
    "optimizers": "jkeras.shim.optimizers",
    "losses": "jkeras.shim.losses",
    "metrics": "jkeras.shim.metrics",
    "callbacks": "jkeras.shim.callbacks",
    "callbacks.callbacks": "jkeras.shim.callbacks",
    "utils": "jkeras.shim.utils",
    "utils.np_utils": "jkeras.shim.utils",
    "utils.data_utils": "jkeras.shim.utils",
    "utils.generic_utils": "jkeras.shim.utils",
    "utils.layer_utils": "jkeras.shim.utils",
    "backend": "jkeras.shim.backend",
    "preprocessing": "jkeras.shim.preprocessing",
    "preprocessing.image": "jkeras.shim.preprocessing.image",
    "initializers": "jkeras.shim.initializers",
    "regularizers": "jkeras.shim.regularizers",
    "constraints": "jkeras.shim.constraints",
    "activations": "jkeras.shim.activations",
    "datasets": "jkeras.shim.datasets",
    "datasets.mnist": "jkeras.shim.datasets.mnist",
    "datasets.fashion_mnist": "jkeras.shim.datasets.fashion_mnist",
    "datasets.cifar10": "jkeras.shim.datasets.cifar10",
    "datasets.boston_housing": "jkeras.shim.datasets.boston_housing",
}
for _sub in (
    "core",
    "convolutional",
    "pooling",
    "recurrent",
    "normalization",
    "embeddings",
    "merge",
    "noise",
    "advanced_activations",
    "wrappers",
):
    _MODULES["layers." + _sub] = "jkeras.shim.layers"

_ROOTS = ("keras", "tf_keras", "tensorflow.keras")
_THIS_DIR = os.path.dirname(os.path.abspath(__file__))


class NotSupportedError(NotImplementedError):
    """A Keras name, argument or use that jkeras does not implement (yet)."""


def user_frame():
    """``(file, line)`` of the innermost frame outside this package, importlib and runpy (the script's)."""
    f = sys._getframe(1)
    while f is not None:
        name = f.f_code.co_filename
        if not (
            name.startswith(_THIS_DIR)
            or name.startswith("<frozen importlib")
            or os.path.basename(name) in ("runpy.py", "<frozen runpy>")
        ):
            return name, f.f_lineno
        f = f.f_back
    return None, None


def not_supported(what, hint=None):
    """The error for a Keras name or use jkeras lacks, naming the script's file and line."""
    file, line = user_frame()
    where = " (%s, line %d)" % (file, line) if file else ""
    return NotSupportedError(
        "not supported by jkeras yet: %s%s%s" % (what, where, (". " + hint[0].upper() + hint[1:]) if hint else "")
    )


def module_getattr(keras_name, lookup=None):
    """A module ``__getattr__``: ``lookup(name)`` when given and it knows the name, else the clear failure."""

    def __getattr__(name):
        if name.startswith("__") or name.startswith("_"):
            raise AttributeError("module %r has no attribute %r" % (keras_name, name))
        submodule = _target("%s.%s" % (keras_name, name))
        if submodule:  # `from keras.utils import np_utils`: Keras 2.3.1's submodule paths
            return importlib.import_module(submodule)
        if lookup is not None:
            value = lookup(name)
            if value is not None:
                return value
        raise not_supported("%s.%s" % (keras_name, name))

    return __getattr__


def _target(fullname):
    """The shim module for an import name, or None when the hook does not answer it."""
    if fullname == "tensorflow":
        return "jkeras.shim.tensorflow"
    for root in _ROOTS:
        if fullname == root:
            return _MODULES[""]
        if fullname.startswith(root + "."):
            return _MODULES.get(fullname[len(root) + 1 :], False)
    if fullname.startswith("tensorflow."):
        return False
    return None


class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        return importlib.import_module(_target(spec.name))

    def exec_module(self, module):
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        t = _target(fullname)
        if t is None:
            return None
        if t is False:
            keras_name = fullname
            for root in _ROOTS:
                if fullname.startswith(root + "."):
                    keras_name = "keras" + fullname[len(root) :]
            raise not_supported("module " + keras_name)
        module = importlib.import_module(t)
        is_package = hasattr(module, "__path__")
        return importlib.machinery.ModuleSpec(fullname, _LOADER, is_package=is_package)


_LOADER = _Loader()
_FINDER = _Finder()
_SHIM_ROOTS = ("keras", "tf_keras", "tensorflow")


def install():
    """Answers ``keras``, ``tensorflow(.keras)`` and ``tf_keras`` with this package; replaces the stand-ins."""
    from jkeras import keras_shim

    keras_shim.uninstall()
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    for name in [n for n in sys.modules if n.split(".")[0] in _SHIM_ROOTS]:
        if getattr(sys.modules[name], MARK, False):
            del sys.modules[name]


def uninstall():
    """Removes the hook and the aliases it made (the ``jkeras.shim`` modules stay loaded)."""
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in list(sys.modules) if n.split(".")[0] in _SHIM_ROOTS]:
        if getattr(sys.modules[name], MARK, False):
            del sys.modules[name]


def installed():
    return _FINDER in sys.meta_path
