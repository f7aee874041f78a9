"""A jkeras worker process: runs a user's generator or Sequence for the JVM (``use_multiprocessing``).

The JVM starts ``python -m jkeras.worker CONFIG_JSON`` once per worker. Batches travel through
shared-memory slots (:mod:`jkeras.shm`); control messages are binary frames over the worker's
stdin (JVM to worker) and stdout (worker to JVM): a 24-byte little-endian header
``(int32 op, int32 a, int32 b, int32 payload length, int64 c)`` then the payload, UTF-8 JSON, for
the rare messages that carry text. The per-batch frames carry numbers only:

* worker to JVM: ``BATCH`` (a = slot, b = layout id, c = seq or -1). A batch's layout (structure,
  and each array's offset, dtype and shape) is sent once as ``LAYOUT`` (a = id, JSON payload) and
  then named by its id while the arrays keep their dtypes and shapes; ``SLOT`` (a = slot, c = size)
  says a slot's file ``<prefix>-s<slot>`` was created or grown. ``READY``, ``ERROR``, ``STOP`` and
  ``REPLY`` (to a control request) carry JSON.
* JVM to worker: ``GET`` (a = index, b = a slot to free first or -1, c = seq), ``FREE`` (a = slot
  or -1, b = credits granted, c = the JVM's group size, 0 or 1 for single batches) and ``CONTROL``
  (JSON: ``epoch_end``, ``load_state``, ``exit``).

Modes:

* ``sequence``: the JVM sends ``GET`` (one index at a time), ``epoch_end`` (run ``on_epoch_end``, and
  when several workers run, or one that may be replaced, pickle the sequence into a state file) and
  ``load_state`` (replace this worker's sequence by the pickled one), so every worker, and every
  replacement of a dead one, sees the new state in the next epoch.
* ``generator``: each worker builds its own generator (``random`` and ``numpy.random`` seeded with
  ``seed + index``) and draws one item per credit the JVM grants; ``STOP`` reports StopIteration.
  When the JVM takes groups of K batches (``steps_per_execution``), the worker announces up to K
  batches in one write while it holds the credits and free slots to draw them without waiting.

The worker's real stdout is kept for the protocol; anything the user's code prints goes to stderr.
It exits on stdin EOF, on SIGTERM and when its parent (the JVM) dies, unlinking its own files.
"""

import json
import os
import pickle
import random
import select
import signal
import struct
import sys
import threading
import time

import numpy as np

# Importing the bridge installs the `keras` stand-ins, as in the JVM: `from keras.utils import
# Sequence` works without loading TensorFlow.
from jkeras import batches, bridge, pickling, shm

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


#: Frame header: op, a, b, payload length, c (little-endian).
HEADER = struct.Struct("<iiiiq")
# Worker to JVM.
READY, SLOT, LAYOUT, BATCH, ERROR, STOP, REPLY = 1, 2, 3, 4, 5, 6, 7
# JVM to worker.
GET, FREE, CONTROL = 1, 2, 3
#: Layout ids are reused from 0 once this many are cached (the JVM keeps as many).
MAX_LAYOUTS = 256


def encode(op, a=0, b=0, c=0, payload=b""):
    """One frame's bytes; ``payload`` is bytes, or an object sent as JSON."""
    if not isinstance(payload, (bytes, bytearray)):
        payload = json.dumps(payload, separators=(",", ":")).encode()
    return HEADER.pack(op, a, b, len(payload), c) + payload


class FrameReader:
    """Reads frames ``(op, a, b, c, payload bytes)`` from a raw fd, whatever pieces the bytes come in."""

    def __init__(self, fd, nonblocking=True, on_eof=None):
        self.fd = fd
        self.on_eof = on_eof
        self.buf = bytearray()
        self.pos = 0
        if nonblocking:
            os.set_blocking(fd, False)
        self.nonblocking = nonblocking

    def _frame(self):
        buf, pos = self.buf, self.pos
        if len(buf) - pos < 24:
            return None
        op, a, b, n, c = HEADER.unpack_from(buf, pos)
        if len(buf) - pos - 24 < n:
            return None
        payload = bytes(buf[pos + 24 : pos + 24 + n]) if n else b""
        self.pos = pos + 24 + n
        if self.pos == len(buf):
            del buf[:]
            self.pos = 0
        return op, a, b, c, payload

    def read(self, timeout=None):
        """The next frame, or None when none came within ``timeout`` (None: wait for one)."""
        while True:
            f = self._frame()
            if f is not None:
                return f
            if self.pos:
                del self.buf[: self.pos]
                self.pos = 0
            if self.nonblocking:
                try:
                    chunk = os.read(self.fd, 1 << 16)
                except BlockingIOError:
                    if timeout == 0:
                        return None
                    ready, _, _ = select.select([self.fd], [], [], timeout)
                    if not ready:
                        return None
                    continue
            else:
                if timeout is not None:
                    ready, _, _ = select.select([self.fd], [], [], timeout)
                    if not ready:
                        return None
                chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                if self.on_eof is not None:
                    return self.on_eof()
                _die(0)  # the JVM closed our stdin: training is over, or the JVM is gone
            self.buf += chunk


def _write(data):
    view = memoryview(data)
    while view:
        n = os.write(_proto_out, view)
        view = view[n:]


_JSON_OPS = {"ready": READY, "error": ERROR, "stop": STOP, "epoch_done": REPLY, "state_loaded": REPLY}


def _send(msg):
    """Sends a JSON message (ready, error, stop, replies) as a frame of its kind."""
    _write(encode(_JSON_OPS[msg["op"]], payload=msg))


def _error_message(exc, seq=None):
    """An ``error`` message: ``exc`` as the bridge reports it (``jkeras.bridge.report``)."""
    usage, name, message, text = bridge.report(exc)
    return {"op": "error", "seq": seq, "type": name, "message": message, "traceback": text, "usage": usage}


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed % (2**32))


# ---------------------------------------------------------------------------------------------
# Main loops (the source is built by the bridge's ``build_object``, as in the JVM)


class Worker:
    def __init__(self, cfg, reader):
        self.cfg = cfg
        self.reader = reader
        self.pending = []
        self.state_files = 0
        self.layouts = {}  # (structure, ((dtype, shape), ...)) -> (id, offsets, total bytes)

    def next_message(self, timeout=None):
        if self.pending:
            return self.pending.pop(0)
        return self.reader.read(timeout)

    def control(self, frame):
        """The JSON of a CONTROL frame; ``exit`` ends the worker."""
        msg = json.loads(frame[4])
        if msg.get("op") == "exit":
            _die(0)
        return msg

    def acquire_slot(self):
        # Wait for the JVM to free a slot; keep other messages (minus the frees they carry) for later.
        while not _pool.has_free():
            op, a, b, c, payload = self.reader.read(None)
            if op == FREE:
                if a >= 0:
                    _pool.release(a)
                if b:
                    self.pending.append((FREE, -1, b, 0, b""))
            elif op == GET and b >= 0:
                _pool.release(b)
                self.pending.append((GET, a, -1, c, payload))
            else:
                self.pending.append((op, a, b, c, payload))
        return _pool.acquire()

    def layout(self, structure, arrays):
        """``(id, offsets, total)`` of this batch's layout, and the LAYOUT frame when it is new."""
        key = (structure, tuple((a.dtype, a.shape) for a in arrays))
        entry = self.layouts.get(key)
        if entry is not None:
            return entry, b""
        if len(self.layouts) >= MAX_LAYOUTS:
            self.layouts.clear()  # ids restart at 0; the JVM overwrites them in order
        offsets, total = shm.layout(arrays)
        entry = (len(self.layouts), offsets, total)
        self.layouts[key] = entry
        msg = {"structure": structure, "arrays": shm.metas(arrays, offsets)}
        return entry, encode(LAYOUT, entry[0], payload=msg)

    def send_batch(self, seq, item, outbox=None):
        """Writes ``item`` into a slot and announces it; with ``outbox`` (a list), the frames are
        appended to it for one later write instead."""
        structure, arrays = batches.flatten(item)
        (lid, offsets, total), out = self.layout(structure, arrays)
        i, slot = self.acquire_slot()
        try:
            if slot.reserve(total):
                out += HEADER.pack(SLOT, i, 0, 0, slot.capacity)
            slot.write_at(arrays, offsets)
        except BaseException:
            _pool.release(i)
            if out:
                _write(out)  # the layout is cached now, and a grown file is mapped anew: the JVM must know
            raise
        out += HEADER.pack(BATCH, i, lid, 0, -1 if seq is None else seq)
        if outbox is None:
            _write(out)
        else:
            outbox.append(out)

    # -- Sequence ---------------------------------------------------------------------------
    def run_sequence(self, seq_obj):
        self.seq = seq_obj
        for attr in ("__len__", "__getitem__"):
            if not hasattr(seq_obj, attr):
                raise TypeError("A Sequence needs __len__ and __getitem__; %r has no %s." % (type(seq_obj), attr))
        _send({"op": "ready", "pid": os.getpid(), "len": len(seq_obj)})
        while True:
            frame = self.next_message()
            op, a, b, c, _ = frame
            if op == FREE:
                if a >= 0:
                    _pool.release(a)
                continue
            seq = None
            try:
                if op == GET:
                    if b >= 0:
                        _pool.release(b)
                    seq = c
                    self.send_batch(c, self.seq[a])
                elif op == CONTROL:
                    msg = self.control(frame)
                    if msg["op"] == "epoch_end":
                        self.epoch_end(msg.get("share", False), msg.get("keep", False))
                    elif msg["op"] == "load_state":
                        with open(msg["path"], "rb") as f:
                            self.seq = pickle.load(f)
                        _send({"op": "state_loaded", "len": len(self.seq)})
                    else:
                        raise ValueError("Unknown message %r" % (msg,))
                else:
                    raise ValueError("Unknown frame op %d" % op)
            except Exception as e:
                _send(_error_message(e, seq))

    def epoch_end(self, share, keep=False):
        """Runs ``on_epoch_end()``; pickles the Sequence into a state file when the other workers
        need it (``share``) or when a replacement of this, the only worker, may (``keep``: then a
        failure to pickle or write it is reported in the reply, not raised, and training goes on)."""
        hook = getattr(self.seq, "on_epoch_end", None)
        if hook is not None:
            hook()
        reply = {"op": "epoch_done", "len": len(self.seq)}
        if (share or keep) and hook is not None:
            try:
                reply["state"] = self.save_state()
            except Exception as e:
                if share:
                    raise
                reply["state_error"] = "%s: %s" % (type(e).__name__, e)
        _send(reply)

    def save_state(self):
        """Pickles the Sequence into a new state file of this worker; returns its path."""
        try:
            data = pickling.dumps(self.seq)
        except Exception as e:
            raise TypeError(
                "With use_multiprocessing=True, the Sequence is pickled after on_epoch_end() so that "
                "every worker process, and any replacement of a dead one, sees its new state, but "
                "pickling %r failed: %s" % (type(self.seq).__name__, e)
            ) from e
        self.state_files += 1
        path = "%s-state%d" % (self.cfg["prefix"], self.state_files)
        _owned_files.add(path)
        with open(path, "wb") as f:
            f.write(data)
        return path

    # -- Generator --------------------------------------------------------------------------
    def run_generator(self, obj):
        try:
            it = iter(obj)
        except TypeError:
            raise TypeError(
                "The Python source must be a generator or an iterable; got %r." % type(obj).__name__
            ) from None
        _send({"op": "ready", "pid": os.getpid()})
        credits = 0
        group = 1  # the JVM's group size: batches announced per write
        outbox = []  # frames of batches drawn and not yet announced

        def flush():
            if outbox:
                data = b"".join(outbox)
                del outbox[:]
                _write(data)

        done = False
        while True:
            block = done or credits == 0 or not _pool.has_free()
            if block:
                flush()  # the JVM frees slots and grants credits only for batches it has heard of
            frame = self.next_message(None if block else 0)
            if frame is not None:
                op, a, b = frame[0], frame[1], frame[2]
                if op == FREE:
                    if a >= 0:
                        _pool.release(a)
                    credits += b
                    group = max(1, frame[3])
                elif op == CONTROL:
                    flush()
                    self.control(frame)
                continue
            try:
                item = next(it)
            except StopIteration:
                done = True
                flush()
                _send({"op": "stop"})
                continue
            except Exception as e:
                done = True
                flush()
                _send(_error_message(e))
                continue
            try:
                self.send_batch(None, item, outbox if group > 1 else None)
                credits -= 1
                if len(outbox) >= group:
                    flush()
            except Exception as e:
                done = True
                flush()
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
    worker = Worker(cfg, FrameReader(proto_in))
    try:
        if cfg["mode"] == "generator":
            seed = cfg.get("seed")
            if seed is not None:
                seed_all(int(seed) + int(cfg.get("index", 0)))
            worker.run_generator(bridge.build_object(cfg["source"]))
        else:
            worker.run_sequence(bridge.build_object(cfg["source"]))
    except SystemExit:
        raise
    except BaseException as e:
        try:
            _send(_error_message(e))
        finally:
            _die(1)


if __name__ == "__main__":
    main()
