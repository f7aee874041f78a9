"""Runs a Keras script inside the JVM as ``python SCRIPT.py ARGS...`` would (``jkeras.python.KerasScript``).

The script runs as ``__main__`` with ``sys.argv = [SCRIPT.py, ARGS...]`` and its directory first on
``sys.path``; ``keras`` and ``tensorflow.keras`` are the shim for the run. ``sys.stdout`` and ``sys.stderr``
write to Java's ``System.out`` and ``System.err``, so the script's prints and jkeras' Java output (summary,
progress bar, warnings) come out in order. Returns the exit code ``python`` would give.
"""

import io
import os
import runpy
import sys
import traceback

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
        return False

    def write(self, s):
        if s:
            self._stream().print(s)
        return len(s)

    def flush(self):
        self._stream().flush()


def _print_traceback(exc):
    """Python's traceback of ``exc`` without the frames of this runner and runpy (as ``python`` prints it)."""
    tb = exc.__traceback__
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if os.path.dirname(os.path.abspath(name)) == _HERE or "runpy" in os.path.basename(name):
            tb = tb.tb_next
            continue
        break
    traceback.print_exception(type(exc), exc, tb if tb is not None else exc.__traceback__, file=sys.stderr)


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
            from jkeras.shim import _pickled

            _pickled.main_file = target
            runpy.run_path(target, run_name="__main__")
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
        shim.uninstall()
        keras_shim.install()
