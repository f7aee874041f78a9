"""Stand-in ``keras`` modules for Python code running inside the JVM.

A user's data module usually starts with ``from keras.utils import Sequence, to_categorical``.
The venv has real Keras (and tf_keras), but importing it would start TensorFlow's Python runtime
inside the JVM next to TensorFlow Java. ``install()`` puts an import hook first on
``sys.meta_path`` that answers these imports with light modules backed by ``jkeras.utils``:

* ``keras``, ``tf_keras``, ``tensorflow``, ``tensorflow.keras`` (packages holding ``utils``);
* ``keras.utils``, ``tf_keras.utils``, ``tensorflow.keras.utils``: ``Sequence``, ``to_categorical``;
* Keras 2's own paths ``keras.utils.data_utils.Sequence`` and ``keras.utils.np_utils.to_categorical``.

Modules are created only when imported, so ``'tensorflow' not in sys.modules`` stays true for code
that never names it. Anything else under these names (``keras.layers``, ``tensorflow.constant``,
``keras.utils.Progbar``) fails with an ImportError or AttributeError that says why. A module
already in ``sys.modules`` (the user loaded the real one before) is left alone.
"""

import importlib.abc
import importlib.machinery
import sys
import types

from jkeras import utils as _utils

__all__ = ["STANDIN_MARK", "install", "installed", "uninstall"]

# Set on every stand-in module, so code (and tests) can tell a stand-in from the real package.
STANDIN_MARK = "__jkeras_standin__"

_HINT = (
    "Inside the JVM, jkeras provides only stand-ins for `Sequence` and `to_categorical` from "
    "keras.utils (so that TensorFlow's Python runtime is never loaded next to TensorFlow Java). "
    "Build models with jkeras in Java; data code may use numpy and these two names."
)

_UTILS = {"Sequence": _utils.Sequence, "to_categorical": _utils.to_categorical}

# Module name -> (is a package, attributes).
_MODULES = {}
for _root in ("keras", "tf_keras", "tensorflow.keras"):
    _MODULES[_root] = (True, {})
    _MODULES[_root + ".utils"] = (True, dict(_UTILS))
    _MODULES[_root + ".utils.data_utils"] = (False, {"Sequence": _utils.Sequence})
    _MODULES[_root + ".utils.np_utils"] = (False, {"to_categorical": _utils.to_categorical})
_MODULES["tensorflow"] = (True, {})
_ROOTS = ("keras", "tf_keras", "tensorflow")


def _missing_attribute(module_name):
    def __getattr__(name):
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError("`%s.%s` is not available: %s" % (module_name, name, _HINT))

    return __getattr__


class _Loader(importlib.abc.Loader):
    def create_module(self, spec):
        is_package, attrs = _MODULES[spec.name]
        module = types.ModuleType(spec.name, "jkeras stand-in for `%s`. %s" % (spec.name, _HINT))
        module.__dict__.update(attrs)
        setattr(module, STANDIN_MARK, True)
        module.__getattr__ = _missing_attribute(spec.name)
        if is_package:
            module.__path__ = []
        return module

    def exec_module(self, module):
        pass


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        root = fullname.split(".")[0]
        if root not in _ROOTS:
            return None
        loaded = sys.modules.get(root)
        if loaded is not None and not _is_standin(loaded):
            return None  # the real package was imported before the hook: do not mix the two
        if fullname in _MODULES:
            return importlib.machinery.ModuleSpec(fullname, _LOADER, is_package=_MODULES[fullname][0])
        raise ImportError("No module named `%s` here. %s" % (fullname, _HINT), name=fullname)


_LOADER = _Loader()
_FINDER = _Finder()


def install():
    """Puts the stand-in import hook first on ``sys.meta_path``; idempotent."""
    if not installed():
        sys.meta_path.insert(0, _FINDER)


def uninstall():
    """Removes the hook and any stand-in modules already imported (for tests)."""
    while _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n, m in list(sys.modules.items()) if _is_standin(m)]:
        del sys.modules[name]


def _is_standin(module):
    try:
        return module.__dict__.get(STANDIN_MARK) is True
    except Exception:
        return False


def installed():
    return _FINDER in sys.meta_path
