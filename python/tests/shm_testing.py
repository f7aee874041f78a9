"""Test helpers for shared-memory slots: what the JVM does with them, done in Python."""

import numpy as np

from jkeras import shm


def write(slot, arrays):
    """Lays ``arrays`` out and copies them into ``slot`` as the worker does; their metas."""
    offsets, total = shm.layout(arrays)
    slot.reserve(total)
    slot.write_at(arrays, offsets)
    return shm.metas(arrays, offsets)


def read_arrays(path, metas):
    """The arrays described by ``metas`` (``[offset, dtype name, shape]``) in the file at ``path``, as copies."""
    with open(path, "rb") as f:
        data = f.read()
    out = []
    for off, dtype, shape in metas:
        dt = np.dtype(dtype).newbyteorder("<")
        count = int(np.prod(shape, dtype=np.int64)) if shape else 1
        out.append(np.frombuffer(data, dtype=dt, count=count, offset=off).reshape(shape).copy())
    return out
