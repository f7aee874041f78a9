"""Runs a Keras script inside the JVM as ``python SCRIPT.py ARGS...`` would (``jkeras.python.KerasScript``).

The script runs as ``__main__`` with ``sys.argv = [SCRIPT.py, ARGS...]`` and its directory first on
``sys.path``; ``keras`` and ``tensorflow.keras`` are the shim for the run. ``sys.stdout`` and ``sys.stderr``
write to Java's ``System.out`` and ``System.err``, so the script's prints and jkeras' Java output (summary,
progress bar, warnings) come out in order. Returns the exit code ``python`` would give.
"""

import builtins
import io
import os
import runpy
import sys
import tokenize
import traceback
import types
import warnings

from jkeras import keras_shim, shim

_HERE = os.path.dirname(os.path.abspath(__file__))


class JavaStream(io.TextIOBase):
    """A text stream writing to Java's ``System.out`` or ``System.err`` (looked up at each write)."""

    def __init__(self, which, encoding="utf-8"):
        super().__init__()
        self._which = which
        self._encoding = encoding
        import jep

        self._system = jep.findClass("java.lang.System")

    @property
    def encoding(self):
        return self._encoding

    def _stream(self):
        return self._system.out if self._which == "out" else self._system.err

    def writable(self):
        return True

    def isatty(self):
        # as the Java side decides for its progress bar: a terminal when the JVM has a console
        return self._system.console() is not None

    def write(self, s):
        if s:
            self._stream().print(s)
        return len(s)

    def flush(self):
        self._stream().flush()


def _hidden(filename):
    """Frames a script's traceback leaves out: the shim's own, importlib's and runpy's (the error names the
    script's line; the shim's inner workings would only hide it)."""
    return filename.startswith(_HERE) or filename.startswith("<frozen importlib") or "runpy" in filename


def _print_traceback(exc):
    """Python's traceback of ``exc`` as ``python`` prints it, without the frames of the runner and the shim."""
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    seen = set()
    todo = [te]
    while todo:
        t = todo.pop()
        if id(t) in seen:
            continue
        seen.add(id(t))
        kept = [f for f in t.stack if not _hidden(f.filename)]
        if kept:
            t.stack = traceback.StackSummary.from_list(kept)
        todo.extend(c for c in (t.__cause__, t.__context__) if c is not None)
    sys.stderr.write("".join(te.format()))


def _exit_code(e):
    code = e.code
    if code is None:
        return 0
    if isinstance(code, bool):
        return int(code)
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


_WARNING_REGISTRY = {}


def java_warning(message):
    """A warning of jkeras' Java side, given as Keras gives it (``warnings.warn``), at the script's line."""
    try:
        f = sys._getframe(1)
    except ValueError:  # called from Java with no Python frame (the run's end)
        f = None
    file, line = shim.user_frame()
    while f is not None and (f.f_code.co_filename != file or f.f_lineno != line):
        f = f.f_back
    if file is None:
        warnings.warn(str(message), UserWarning, stacklevel=2)
        return
    # One registry for all of them: Python's "default" action shows each warning once per line, as Keras'
    # warnings.warn calls (one source line each) are shown once.
    warnings.warn_explicit(
        str(message),
        UserWarning,
        file,
        line,
        registry=_WARNING_REGISTRY,
        module_globals=f.f_globals if f is not None else None,
    )


def _run_file(path):
    """Runs the file as ``__main__`` (``__file__`` absolute, ``sys.argv[0]`` as given, as ``python`` does)."""
    with tokenize.open(path) as f:
        source = f.read()
    code = compile(source, path, "exec")
    main = types.ModuleType("__main__")
    main.__dict__.update({"__file__": path, "__builtins__": builtins, "__cached__": None})
    saved = sys.modules.get("__main__")
    sys.modules["__main__"] = main
    try:
        exec(code, main.__dict__)
    finally:
        sys.modules["__main__"] = saved


def run(kind, target, argv0, args):
    """Runs ``target`` (a file path when ``kind`` is "file", else a module name) with ``sys.argv = [argv0, *args]``;
    returns the exit code."""
    saved = (sys.argv, list(sys.path), sys.stdout, sys.stderr)
    sys.stdout.flush()
    sys.stdout, sys.stderr = JavaStream("out"), JavaStream("err")
    shim.install()
    try:
        if kind == "file":
            sys.argv = [argv0, *list(args)]
            sys.path.insert(0, os.path.dirname(os.path.abspath(target)))
            _run_file(target)
        else:
            sys.argv = [target, *list(args)]
            sys.path.insert(0, os.getcwd())
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        return 0
    except SystemExit as e:
        return _exit_code(e)
    except BaseException as e:
        _print_traceback(e)
        return 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:
            pass
        sys.argv, sys.path[:], sys.stdout, sys.stderr = saved[0], saved[1], saved[2], saved[3]
        if "jkeras.shim.models" in sys.modules:
            sys.modules["jkeras.shim.models"].close_all()
        shim.uninstall()
        keras_shim.install()
