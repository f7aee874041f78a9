"""The Python half of the in-process bridge (``jkeras.python`` in Java, through Jep).

Jep ties every Python object handed to Java to the thread (and interpreter) that produced it, but a
Sequence must be read from several Java threads, each owning its own ``SharedInterpreter``. All
shared interpreters see the same modules, so the user's object lives here, in a module-level
registry keyed by an integer handle, and each Java thread calls these functions with the handle.

Every entry point returns a tuple whose first element is a status, so that Java never has to
parse an exception raised through Jep (which loses the traceback):

* ``(OK, ...)``: the result (for batches ``(OK, structure, arrays)``, see ``jkeras.batches``);
* ``(END,)``: the generator is exhausted (``StopIteration``);
* ``(ERROR, type_name, message, traceback_text)``: the user's code raised;
* ``(USAGE, message)``: the item or object is not what Keras accepts (Java: IllegalArgumentException).

Batches reach Java in one of two ways. ``seq_get``/``gen_next`` return the arrays themselves, which
Jep copies into Java heap arrays. ``seq_get_into``/``gen_next_into`` copy them instead into direct
buffers that Java owns and bound once (``bind``) as numpy views, a "buffer set" per batch in
flight, and return only small integers: the ids of the batch's structure and of its arrays' dtypes
and shapes (``(OK, structure_id, metas_id)``, with the values themselves the first time a thread
sees an id). When the set's buffers are too small the reply is ``(GROW, ...)`` with the sizes
needed; Java binds larger buffers and calls ``fill_pending``.

Importing this module installs the ``keras`` stand-ins (``jkeras.keras_shim``). The worker
processes (``jkeras.worker``) use the same loading (``build_object``: ``add_paths``, ``resolve``) to
rebuild a ``PythonSource``, and the same ``report`` of exceptions.
"""

import builtins
import importlib
import importlib.util
import itertools
import json
import os
import sys
import threading
import traceback

import numpy as np

from jkeras import batches, keras_shim

keras_shim.install()

OK, END, ERROR, USAGE, GROW = 0, 1, 2, 3, 4
SEQUENCE, GENERATOR = "sequence", "generator"

_objects = {}
_handles = itertools.count(1)
_lock = threading.Lock()
_file_modules = {}
_THIS_FILE = os.path.abspath(__file__)


class UsageError(ValueError):
    """A source that is not a Sequence or an iterable, or a malformed spec."""


# ------------------------------------------------------------------ building sources


def add_paths(paths):
    """Puts ``paths`` first on ``sys.path`` (each once)."""
    for p in reversed([str(p) for p in paths or ()]):
        if p not in sys.path:
            sys.path.insert(0, p)


def _load_file(path):
    path = os.path.abspath(path)
    module = _file_modules.get(path)
    if module is not None:
        return module
    if not os.path.isfile(path):
        raise FileNotFoundError("No such Python file: %s" % path)
    name = os.path.splitext(os.path.basename(path))[0]
    # The file's own name when free, so its classes pickle and import like a module's.
    if name in sys.modules:
        name = "_jkeras_file_%d_%s" % (len(_file_modules), name)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[name]
        raise
    _file_modules[path] = module
    return module


def _shorten(entries, limit=8):
    """``entries`` as a list for a message: the first ``limit``, then how many more."""
    entries = [e or os.getcwd() for e in entries]  # "" on sys.path is the working directory
    text = ", ".join(repr(e) for e in entries[:limit])
    more = len(entries) - limit
    return "[%s%s]" % (text, ", ... %d more" % more if more > 0 else "")


def _import_source_module(name, paths):
    """Imports a source's module; when it is the one missing, says where it was looked for."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        # Only the source's own module (or a package above it), not a module it imports.
        if e.name is None or not (name == e.name or name.startswith(e.name + ".")):
            raise
        added = [str(p) for p in paths or ()]
        rest = [p for p in sys.path if p not in added]
        where = (
            "Searched the source's paths %s, then the rest of sys.path %s." % (_shorten(added), _shorten(rest))
            if added
            else "The source adds no paths; searched sys.path %s." % _shorten(rest)
        )
        message = (
            "No module named %r (the module of this PythonSource). %s Add the directory that holds "
            "%s.py (or the %s package) with PythonSource.withPaths(...)."
            % (e.name, where, e.name.replace(".", "/"), e.name)
        )
        raise ModuleNotFoundError(message, name=e.name) from None


def resolve(spec):
    """The callable a ``PythonSource`` spec (a dict, see ``jkeras.python.BridgeSpec``) names."""
    add_paths(spec.get("paths"))
    if spec.get("file"):
        module = _load_file(spec["file"])
    elif spec.get("module"):
        module = _import_source_module(spec["module"], spec.get("paths"))
    else:
        raise UsageError("A source needs `module` or `file`. Received: %r" % (spec,))
    target = module
    for part in spec["attribute"].split("."):
        target = getattr(target, part)
    return target


def build_object(spec):
    """Calls the spec's callable with its arguments; returns the Sequence, generator or iterable."""
    if isinstance(spec, str):
        spec = json.loads(spec)
    fn = resolve(spec)
    return fn(*(spec.get("args") or ()), **(spec.get("kwargs") or {}))


def is_sequence(obj):
    """Keras 2.3.1's ``is_sequence``: a ``use_sequence_api`` flag or every Sequence method."""
    if getattr(obj, "use_sequence_api", False):
        return True
    return all(hasattr(obj, m) for m in ("__getitem__", "__len__", "on_epoch_end", "__iter__"))


def _describe(obj):
    text = repr(obj)
    return text if len(text) <= 200 else text[:200] + "..."


def _as_kind(obj, kind, origin):
    if kind == SEQUENCE:
        if not (hasattr(obj, "__getitem__") and hasattr(obj, "__len__")):
            raise UsageError(
                "Expected a Sequence (an object with `__len__` and `__getitem__`, e.g. a subclass of "
                "keras.utils.Sequence) from %s. Received: %s" % (origin, _describe(obj))
            )
        return obj
    if kind == GENERATOR:
        if hasattr(obj, "__next__"):
            return obj
        try:
            return iter(obj)
        except TypeError:
            raise UsageError(
                "Expected a generator or an iterable of batches from %s. Received: %s" % (origin, _describe(obj))
            ) from None
    if kind is None:
        return obj
    raise UsageError("Unknown source kind %r" % (kind,))


def _register(obj):
    with _lock:
        handle = next(_handles)
        _objects[handle] = obj
    return handle


def _kind_of(obj):
    return SEQUENCE if is_sequence(obj) else GENERATOR


# ------------------------------------------------------------------ error reporting


def type_name(exc_type):
    """Python's own spelling in tracebacks: ``ValueError``, ``my_module.MyError``."""
    module = exc_type.__module__
    if module in ("builtins", "__main__", None):
        return exc_type.__qualname__
    return module + "." + exc_type.__qualname__


_OWN_FILES = {_THIS_FILE, os.path.join(os.path.dirname(_THIS_FILE), "worker.py")}


def report(exc):
    """``(usage, type name, message, traceback text)``: how Java hears of ``exc``, in the JVM and from
    the worker processes alike (``jkeras.python.PythonErrors`` maps it to the Java exception).

    A usage error is an item that is no batch or a source that is not what was asked for: Java
    throws IllegalArgumentException with the message. The traceback starts in the user's code:
    jkeras's own frames at its top (the bridge's, the worker's) are dropped.
    """
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None and os.path.abspath(tb.tb_frame.f_code.co_filename) in _OWN_FILES:
        tb = tb.tb_next
    usage = isinstance(exc, (batches.BatchFormatError, UsageError))
    text = "".join(traceback.format_exception(type(exc), exc, tb))
    return usage, type_name(type(exc)), str(exc), text


def _guard(fn):
    """Runs ``fn`` and turns any exception into a status tuple."""
    try:
        return fn()
    except BaseException as e:  # everything, KeyboardInterrupt included, must reach Java as a status
        usage, name, message, text = report(e)
        return (USAGE, message) if usage else (ERROR, name, message, text)


# ------------------------------------------------------------------ entry points for Java


def build(spec_json, kind):
    """``(OK, handle, kind)``: builds a ``PythonSource`` (JSON) as a Sequence or a generator.

    With ``kind`` None, Keras' rule decides which of the two the object is.
    """

    def run():
        spec = json.loads(spec_json)
        origin = "%s.%s" % (spec.get("module") or spec.get("file"), spec.get("attribute"))
        obj = build_object(spec)
        k = kind or _kind_of(obj)
        return (OK, _register(_as_kind(obj, k, origin + "(...)")), k)

    return _guard(run)


class _AutoImport(dict):
    """Names in an expression resolve to modules on first use (``my_data.make(3)``)."""

    def __missing__(self, name):
        # KeyError lets the lookup go on to the globals and builtins (and end in NameError).
        if hasattr(builtins, name):
            raise KeyError(name)
        try:
            return importlib.import_module(name)
        except ModuleNotFoundError as e:
            if e.name != name:
                raise
            raise KeyError(name) from None


def evaluate(expression, paths, kind):
    """``(OK, handle, kind)``: evaluates ``expression`` (top-level module names auto-imported)."""

    def run():
        add_paths(paths)
        obj = eval(expression, {"__builtins__": __builtins__}, _AutoImport())  # the user's own expression
        k = kind or _kind_of(obj)
        return (OK, _register(_as_kind(obj, k, "`%s`" % expression)), k)

    return _guard(run)


def register(obj, kind):
    """``(OK, handle, kind)``: registers an object Java obtained from an interpreter."""

    def run():
        k = kind or _kind_of(obj)
        return (OK, _register(_as_kind(obj, k, "the given object")), k)

    return _guard(run)


def release(handle):
    """Forgets a handle (the object is freed when nothing else holds it)."""
    with _lock:
        _objects.pop(handle, None)
    return (OK,)


def seq_len(handle):
    """``(OK, len(sequence))``."""
    return _guard(lambda: (OK, len(_objects[handle])))


def seq_get(handle, index):
    """``(OK, structure, arrays)`` for ``sequence[index]``."""

    def run():
        structure, arrays = batches.flatten(_objects[handle][index])
        return (OK, structure, arrays)

    return _guard(run)


def seq_epoch_end(handle):
    """Calls ``sequence.on_epoch_end()`` when it has one."""

    def run():
        hook = getattr(_objects[handle], "on_epoch_end", None)
        if hook is not None:
            hook()
        return (OK,)

    return _guard(run)


_END = object()


def gen_next(handle):
    """``(OK, structure, arrays)`` for ``next(generator)``, or ``(END,)``."""

    def run():
        item = next(_objects[handle], _END)
        if item is _END:
            return (END,)
        structure, arrays = batches.flatten(item)
        return (OK, structure, arrays)

    return _guard(run)


def numpy_enabled():
    """Whether this jep converts numpy arrays (built with numpy visible)."""
    try:
        import jep

        return bool(getattr(jep, "JEP_NUMPY_ENABLED", 0))
    except ImportError:
        return False


# ------------------------------------------------------------------ batches into Java-owned buffers

# Ids of structures and of (dtype, shape) lists: Java keeps the parsed forms by id. A table that
# grows past the limit (shapes that keep changing) starts over with new ids, so ids stay unique.
_INTERN_LIMIT = 4096
_structure_ids = {}
_meta_ids = {}
_ids = itertools.count(1)
_sets = {}
_local = threading.local()


class _Target:
    """One buffer set: a flat uint8 view of each Java buffer, and the typed view last used on it."""

    __slots__ = ("flats", "views")

    def __init__(self):
        self.flats = []
        self.views = []


def _intern(table, key):
    i = table.get(key)
    if i is None:
        with _lock:
            i = table.get(key)
            if i is None:
                if len(table) >= _INTERN_LIMIT:
                    table.clear()
                i = next(_ids)
                table[key] = i
    return i


def _seen():
    seen = getattr(_local, "seen", None)
    if seen is None or len(seen) > 2 * _INTERN_LIMIT:
        seen = _local.seen = set()
    return seen


def thread_reset():
    """Forgets what this thread's Java side has been told (a new Java bridge on this thread)."""
    _local.seen = set()
    _local.pending = None
    return (OK,)


def bind(set_id, slot, flat):
    """Binds ``flat`` (a uint8 view of a Java direct buffer) as array ``slot`` of buffer set ``set_id``."""
    t = _sets.get(set_id)
    if t is None:
        t = _sets[set_id] = _Target()
    while len(t.flats) <= slot:
        t.flats.append(None)
        t.views.append(None)
    t.flats[slot] = flat
    t.views[slot] = None
    return (OK,)


def drop_set(set_id):
    """Forgets a buffer set (its Java thread is closing its interpreter)."""
    _sets.pop(set_id, None)
    return (OK,)


def _fill(set_id, arrays):
    """Copies ``arrays`` into the set's buffers; False when the set has too few or too small ones."""
    t = _sets.get(set_id)
    if t is None or len(t.flats) < len(arrays):
        return False
    flats = t.flats
    for k, a in enumerate(arrays):
        if flats[k] is None or a.nbytes > flats[k].nbytes:
            return False
    views = t.views
    for k, a in enumerate(arrays):
        v = views[k]
        if v is None or v.shape != a.shape or v.dtype != a.dtype:
            # Native byte order: np.copyto swaps the bytes of a big-endian source.
            v = views[k] = flats[k][: a.nbytes].view(a.dtype.newbyteorder("=")).reshape(a.shape)
        np.copyto(v, a)
    return True


def _raw_metas(metas):
    return tuple((d.name, shape) for d, shape in metas)


def _into(item, set_id):
    structure, arrays = batches.flatten(item)
    sid = _intern(_structure_ids, structure)
    # Keyed by dtype objects: dtype.name is slow; Java gets the names when the id is new.
    metas = tuple([(a.dtype, a.shape) for a in arrays])
    mid = _intern(_meta_ids, metas)
    seen = _seen()
    new_s = sid not in seen
    new_m = mid not in seen
    if not _fill(set_id, arrays):
        _local.pending = arrays
        seen.add(sid)
        seen.add(mid)
        return (GROW, sid, mid, structure, _raw_metas(metas), tuple([a.nbytes for a in arrays]))
    if new_s or new_m:
        seen.add(sid)
        seen.add(mid)
        return (OK, sid, mid, structure if new_s else None, _raw_metas(metas) if new_m else None)
    return (OK, sid, mid)


def fill_pending(set_id):
    """After ``GROW``: copies the batch kept aside into the set's new buffers."""

    def run():
        arrays = getattr(_local, "pending", None)
        _local.pending = None
        if arrays is None or not _fill(set_id, arrays):
            raise RuntimeError("jkeras bridge: no pending batch fits buffer set %d" % set_id)
        return (OK,)

    return _guard(run)


def seq_get_into(handle, index, set_id):
    """``sequence[index]`` copied into buffer set ``set_id``; see the module docstring."""
    return _guard(lambda: _into(_objects[handle][index], set_id))


def gen_next_into(handle, set_id):
    """``next(generator)`` copied into buffer set ``set_id``, or ``(END,)``."""

    def run():
        item = next(_objects[handle], _END)
        if item is _END:
            return (END,)
        return _into(item, set_id)

    return _guard(run)
