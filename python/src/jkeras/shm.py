"""Shared-memory slots that carry batches from a worker process to the JVM.

A slot is a file in ``/dev/shm`` that the worker maps with ``mmap`` and writes numpy arrays into; the
JVM maps the same file (``FileChannel.map``) and reads the arrays in place until it frees the slot.
The worker's ``layout`` message says where each array lies (offset, dtype, shape), so the file
itself carries only raw little-endian bytes. The worker owns its files: it creates, grows and unlinks them.
"""

import mmap
import os

import numpy as np

__all__ = ["ALIGN", "Slot", "SlotPool", "layout", "metas"]

#: Every array starts on a multiple of this many bytes (cache-line aligned copies on both sides).
ALIGN = 64
_PAGE = mmap.PAGESIZE


def layout(arrays):
    """Offsets of ``arrays`` packed at ``ALIGN`` boundaries, and the total size in bytes."""
    offsets = []
    end = 0
    for a in arrays:
        start = (end + ALIGN - 1) // ALIGN * ALIGN
        offsets.append(start)
        end = start + a.nbytes
    return offsets, end


# dtype.name costs about 1.5 us in numpy 2: the names of the usual dtypes, looked up by dtype.
_NAMES = {np.dtype(n): n for n in ("float32", "float64", "int32", "int64", "bool")}


def _name(dtype):
    n = _NAMES.get(dtype)
    return n if n is not None else dtype.name


def metas(arrays, offsets):
    """``[offset, dtype name, shape]`` of each array: where the JVM finds it in a slot."""
    return [[off, _name(a.dtype), list(a.shape)] for a, off in zip(arrays, offsets)]


class Slot:
    """One shared-memory file, grown (never shrunk) to fit the largest batch written to it."""

    def __init__(self, path):
        self.path = path
        self.capacity = 0
        self._fd = None
        self._mm = None
        self._views = {}  # (offset, dtype, shape) -> little-endian view into the mapping

    def _ensure(self, nbytes):
        if nbytes <= self.capacity and self._mm is not None:
            return
        cap = max(_PAGE, self.capacity * 2, (nbytes + _PAGE - 1) // _PAGE * _PAGE)
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        os.ftruncate(self._fd, cap)
        self._allocate(cap)
        self._views.clear()  # views export the old mapping, which must close
        if self._mm is not None:
            self._mm.close()
        self._mm = mmap.mmap(self._fd, cap)
        self.capacity = cap

    def _allocate(self, cap):
        # A sparse tmpfs file that cannot get its pages kills the writer with SIGBUS: claim them now,
        # so a full /dev/shm is an error that names the sizes instead.
        try:
            os.posix_fallocate(self._fd, 0, cap)
        except OSError as e:
            import errno

            if e.errno not in (errno.ENOSPC, errno.ENOMEM):
                return  # not supported by this file system: the sparse file has to do
            free = -1
            try:
                st = os.statvfs(os.path.dirname(self.path) or ".")
                free = st.f_bavail * st.f_frsize
            except OSError:
                pass
            raise MemoryError(
                "Shared memory is full: a batch slot of %.1f MB cannot be allocated in %s (%.1f MB free). "
                "Reduce `workers`, `max_queue_size` or the batch size, enlarge %s (in a container: "
                "`docker run --shm-size=1g`), set the system property jkeras.python.shmDir to a larger "
                "tmpfs, or use use_multiprocessing=False."
                % (cap / 1048576.0, os.path.dirname(self.path), free / 1048576.0, os.path.dirname(self.path))
            ) from e

    def _view(self, a, off):
        key = (off, a.dtype, a.shape)
        view = self._views.get(key)
        if view is None:
            if len(self._views) > 64:
                self._views.clear()
            dt = a.dtype.newbyteorder("<")
            view = np.frombuffer(self._mm, dtype=dt, count=a.size, offset=off).reshape(a.shape)
            self._views[key] = view
        return view

    def reserve(self, nbytes):
        """Makes the file at least ``nbytes`` long; True when it was created or grown (remapped)."""
        cap = self.capacity
        self._ensure(max(nbytes, 1))
        return self.capacity != cap

    def write_at(self, arrays, offsets):
        """Copies ``arrays`` to ``offsets`` (from :func:`layout`, after :meth:`reserve`), little-endian."""
        for a, off in zip(arrays, offsets):
            if a.nbytes:
                np.copyto(self._view(a, off), a, casting="equiv")

    def close(self, unlink=True):
        self._views.clear()
        if self._mm is not None:
            try:
                self._mm.close()
            except BufferError:
                pass  # a view still exists; the mapping goes away with the process
            self._mm = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if unlink:
            try:
                os.unlink(self.path)
            except FileNotFoundError:
                pass


class SlotPool:
    """``count`` slots named ``<prefix>-s<i>``; a slot is busy from ``acquire`` until the JVM frees it.

    The most recently freed slot is reused first, so files are only created (on first write) for as
    many slots as batches are outstanding at once.
    """

    def __init__(self, prefix, count=2):
        self.slots = [Slot("%s-s%d" % (prefix, i)) for i in range(count)]
        self.free = list(range(count - 1, -1, -1))

    def has_free(self):
        return bool(self.free)

    def acquire(self):
        i = self.free.pop()
        return i, self.slots[i]

    def release(self, i):
        if i not in self.free:
            self.free.append(i)

    def close(self):
        for s in self.slots:
            s.close()
