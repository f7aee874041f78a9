"""A jkeras worker process: runs a user's generator or Sequence for the JVM (``use_multiprocessing``).

The JVM starts ``python -m jkeras.worker CONFIG_JSON`` once per worker. Control messages are JSON
lines: the JVM writes them to the worker's stdin, the worker answers on its stdout. Batches travel
through shared-memory slots (:mod:`jkeras.shm`); a ``batch`` message names the slot and where each
array lies in it, and the JVM answers ``free`` once it has copied the slot out.

Modes:

* ``sequence``: the JVM sends ``get`` (one index at a time), ``epoch_end`` (run ``on_epoch_end``, and
  when several workers run, pickle the sequence into a state file) and ``load_state`` (replace this
  worker's sequence by the pickled one), so every worker sees the new state in the next epoch.
* ``generator``: each worker builds its own generator (``random`` and ``numpy.random`` seeded with
  ``seed + index``) and draws one item per ``credit`` the JVM grants; ``stop`` reports StopIteration.

The worker's real stdout is kept for the protocol; anything the user's code prints goes to stderr.
It exits on stdin EOF, on SIGTERM and when its parent (the JVM) dies, unlinking its own files.
"""

import importlib
import importlib.util
import json
import os
import pickle
import random
import select
import signal
import sys
import threading
import time
import traceback

import numpy as np

from jkeras import batches, shm

_CLOSING = threading.RLock()  # re-entrant: SIGTERM may arrive while the main thread is in _die
_owned_files = set()
_pool = None
_proto_out = None


# ---------------------------------------------------------------------------------------------
# Lifecycle


def _cleanup():
    """Unlinks every file this worker created; safe to call from any thread, more than once."""
    if _pool is not None:
        for s in _pool.slots:
            _owned_files.add(s.path)
    for path in list(_owned_files):
        try:
            os.unlink(path)
        except OSError:
            pass


def _die(status):
    with _CLOSING:
        _cleanup()
        os._exit(status)


def _watch_parent(parent, interval=0.2):
    # Stdin EOF covers a dead JVM only while the worker reads; a long __getitem__ needs this too.
    while True:
        time.sleep(interval)
        if os.getppid() != parent:
            _die(0)


# ---------------------------------------------------------------------------------------------
# Protocol


class _LineReader:
    """Reads JSON lines from a raw fd, with a poll that does not block."""

    def __init__(self, fd):
        self.fd = fd
        self.buf = b""

    def read(self, timeout=None):
        """The next message, or None when none came within ``timeout`` (None: wait for one)."""
        while True:
            nl = self.buf.find(b"\n")
            if nl >= 0:
                line, self.buf = self.buf[:nl], self.buf[nl + 1 :]
                if line.strip():
                    return json.loads(line)
                continue
            if timeout is not None:
                ready, _, _ = select.select([self.fd], [], [], timeout)
                if not ready:
                    return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                _die(0)  # the JVM closed our stdin: training is over, or the JVM is gone
            self.buf += chunk


def _send(msg):
    data = (json.dumps(msg, separators=(",", ":")) + "\n").encode()
    view = memoryview(data)
    while view:
        n = os.write(_proto_out, view)
        view = view[n:]


def _error_message(exc, seq=None):
    t = type(exc)
    name = t.__qualname__ if t.__module__ in ("builtins", "__main__") else "%s.%s" % (t.__module__, t.__qualname__)
    return {
        "op": "error",
        "seq": seq,
        "type": name,
        "message": str(exc),
        "traceback": "".join(traceback.format_exception(t, exc, exc.__traceback__)),
    }


# ---------------------------------------------------------------------------------------------
# Building the source


def load_callable(source):
    """The callable a ``jkeras.python.PythonSource`` names (module or file, attribute)."""
    for p in reversed(source.get("paths") or []):
        if p not in sys.path:
            sys.path.insert(0, p)
    if source.get("module"):
        mod = importlib.import_module(source["module"])
    else:
        path = os.path.abspath(source["file"])
        # A stable module name: pickles of classes defined in the file resolve in every worker.
        name = "jkeras_user_" + os.path.splitext(os.path.basename(path))[0]
        mod = sys.modules.get(name)
        if mod is None or getattr(mod, "__file__", None) != path:
            spec = importlib.util.spec_from_file_location(name, path)
            if spec is None:
                raise ImportError("Cannot load a Python module from %r." % path)
            mod = importlib.util.module_from_spec(spec)
            sys.modules[name] = mod
            spec.loader.exec_module(mod)
    try:
        return getattr(mod, source["attribute"])
    except AttributeError:
        raise AttributeError(
            "%s has no attribute %r." % (source.get("module") or source.get("file"), source["attribute"])) from None


def build(source):
    fn = load_callable(source)
    if not callable(fn):
        return fn
    return fn(*(source.get("args") or []), **(source.get("kwargs") or {}))


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))


# ---------------------------------------------------------------------------------------------
# Batches

def flatten(item):
    """``(structure, arrays)`` of one item: the batch contract of :mod:`jkeras.batches`."""
    return batches.flatten(item)


# ---------------------------------------------------------------------------------------------
# Main loops


class Worker:
    def __init__(self, cfg, reader):
        self.cfg = cfg
        self.reader = reader
        self.pending = []
        self.state_files = 0

    def next_message(self, timeout=None):
        if self.pending:
            return self.pending.pop(0)
        return self.reader.read(timeout)

    def handle_common(self, msg):
        """Handles ``free`` and ``exit``; True when the message was one of them."""
        op = msg.get("op")
        if op == "free":
            _pool.release(msg["slot"])
            return True
        if op == "exit":
            _die(0)
        return False

    def acquire_slot(self):
        # Wait for the JVM to free a slot; keep other messages for later.
        while not _pool.has_free():
            msg = self.reader.read(None)
            if not self.handle_common(msg):
                self.pending.append(msg)
        return _pool.acquire()

    def send_batch(self, seq, item):
        structure, arrays = flatten(item)
        i, slot = self.acquire_slot()
        try:
            metas = slot.write(arrays)
        except BaseException:
            _pool.release(i)
            raise
        _send({"op": "batch", "seq": seq, "slot": i, "path": slot.path, "cap": slot.capacity,
               "structure": structure, "arrays": metas})

    # -- Sequence ---------------------------------------------------------------------------
    def run_sequence(self, seq_obj):
        self.seq = seq_obj
        for attr in ("__len__", "__getitem__"):
            if not hasattr(seq_obj, attr):
                raise TypeError("A Sequence needs __len__ and __getitem__; %r has no %s." % (type(seq_obj), attr))
        _send({"op": "ready", "pid": os.getpid(), "len": len(seq_obj)})
        while True:
            msg = self.next_message()
            if self.handle_common(msg):
                continue
            op = msg["op"]
            try:
                if op == "get":
                    self.send_batch(msg["seq"], self.seq[msg["index"]])
                elif op == "epoch_end":
                    self.epoch_end(msg.get("share", False))
                elif op == "load_state":
                    with open(msg["path"], "rb") as f:
                        self.seq = pickle.load(f)
                    _send({"op": "state_loaded", "len": len(self.seq)})
                else:
                    raise ValueError("Unknown message %r" % (msg,))
            except Exception as e:
                _send(_error_message(e, msg.get("seq")))

    def epoch_end(self, share):
        hook = getattr(self.seq, "on_epoch_end", None)
        if hook is not None:
            hook()
        reply = {"op": "epoch_done", "len": len(self.seq)}
        if share and hook is not None:
            try:
                data = pickle.dumps(self.seq, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as e:
                raise TypeError(
                    "With use_multiprocessing=True and several workers, the Sequence is pickled after "
                    "on_epoch_end() so that every worker process sees its new state, but pickling %r "
                    "failed: %s" % (type(self.seq).__name__, e)) from e
            self.state_files += 1
            path = "%s-state%d" % (self.cfg["prefix"], self.state_files)
            _owned_files.add(path)
            with open(path, "wb") as f:
                f.write(data)
            reply["state"] = path
        _send(reply)

    # -- Generator --------------------------------------------------------------------------
    def run_generator(self, obj):
        try:
            it = iter(obj)
        except TypeError:
            raise TypeError(
                "The Python source must be a generator or an iterable; got %r." % type(obj).__name__) from None
        _send({"op": "ready", "pid": os.getpid()})
        credits = 0
        done = False
        while True:
            block = done or credits == 0 or not _pool.has_free()
            msg = self.next_message(None if block else 0)
            if msg is not None:
                if not self.handle_common(msg):
                    if msg["op"] == "credit":
                        credits += msg.get("n", 1)
                continue
            try:
                item = next(it)
            except StopIteration:
                done = True
                _send({"op": "stop"})
                continue
            except Exception as e:
                done = True
                _send(_error_message(e))
                continue
            try:
                self.send_batch(None, item)
                credits -= 1
            except Exception as e:
                done = True
                _send(_error_message(e))


def main(argv=None):
    global _pool, _proto_out
    argv = sys.argv[1:] if argv is None else argv
    cfg = json.loads(argv[0])
    # Keep the real stdin/stdout for the protocol; user prints go to stderr, user reads get EOF.
    proto_in = os.dup(0)
    _proto_out = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    try:
        sys.stdout.reconfigure(line_buffering=True)
    except Exception:
        pass
    signal.signal(signal.SIGTERM, lambda *_: _die(143))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C goes to the JVM, which stops us
    parent = cfg.get("parent")
    if parent is not None:
        if os.getppid() != parent:
            _die(0)
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    _pool = shm.SlotPool(cfg["prefix"], cfg.get("slots", 2))
    if cfg.get("keras_standin", True):
        # Same imports as in-process: `from keras.utils import Sequence` without loading TensorFlow.
        from jkeras import keras_shim

        keras_shim.install()
    worker = Worker(cfg, _LineReader(proto_in))
    try:
        if cfg["mode"] == "generator":
            seed = cfg.get("seed")
            if seed is not None:
                seed_all(int(seed) + int(cfg.get("index", 0)))
            obj = build(cfg["source"])
            worker.run_generator(obj)
        else:
            obj = build(cfg["source"])
            worker.run_sequence(obj)
    except SystemExit:
        raise
    except BaseException as e:
        try:
            _send(_error_message(e))
        finally:
            _die(1)


if __name__ == "__main__":
    main()
