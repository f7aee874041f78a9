"""One generator or Sequence item as a flat list of numpy arrays plus a small structure description.

This is the batch contract shared by the in-process bridge (``jkeras.bridge``, read in Java by
``jkeras.python.BatchStructure``) and the worker processes (``jkeras.worker``). Keep it stable.

``flatten(item)`` returns ``(structure, arrays)``:

* ``structure`` is a tuple ``(x, y, sample_weight)``; each entry is one of

  - ``None``: absent (``y`` of an inputs-only item, ``sample_weight`` of an ``(x, y)`` tuple);
  - ``"array"``: one array;
  - ``("list", n)``: ``n`` arrays, in model order;
  - ``("dict", (name_1, ..., name_n))``: ``n`` arrays keyed by input or output name, in this order.

  It contains only tuples, strings, ints and None, so it survives ``json.dumps`` (tuples become
  lists, which ``BatchStructure`` accepts as well).
* ``arrays`` is a list of C-contiguous numpy arrays: the parts of ``x``, then of ``y``, then of
  ``sample_weight``, in the order of the structure. Their dtype is always one of
  ``CANONICAL_DTYPES`` (float32, float64, int32, int64, bool): other numeric dtypes are widened
  losslessly where possible (see ``canonical``), Python numbers and lists go through
  ``np.asarray`` first, as Keras does.

Items follow Keras 2.3.1's rule: a tuple or a list of 2 (``x, y``) or 3 (``x, y, sample_weight``)
elements, or of 1 (``(x,)``, which tf-keras' ``predict`` takes); any other tuple, and None, are the
ValueError "Output of generator should be a tuple ...". Anything that is not a tuple or list (an
array, a dict) is ``x`` alone, as ``predict_generator`` takes it; ``fit`` and ``evaluate`` then
reject the missing ``y``.
"""

import numpy as np

__all__ = ["ARRAY", "CANONICAL_DTYPES", "DICT", "LIST", "BatchFormatError", "canonical", "flatten"]

ARRAY = "array"
LIST = "list"
DICT = "dict"

CANONICAL_DTYPES = ("float32", "float64", "int32", "int64", "bool")

_TUPLE_ERROR = "Output of generator should be a tuple `(x, y, sample_weight)` or `(x, y)`. Found: "

# Lossless widening to a dtype the Java side has; uint64 values above int64's range are refused.
_WIDEN = {
    "float16": np.float32,
    "int8": np.int32,
    "int16": np.int32,
    "uint8": np.int32,
    "uint16": np.int32,
    "uint32": np.int64,
    "uint64": np.int64,
}


class BatchFormatError(ValueError):
    """An item that is not a batch Keras accepts; Java reports it as IllegalArgumentException."""


def _truncate(item, limit=200):
    text = str(item)
    return text if len(text) <= limit else text[:limit] + "..."


# Native-order dtypes that pass as they are; checked by dtype (``dtype.name`` costs 1.5 us in numpy 2).
_CANONICAL = frozenset(np.dtype(n) for n in CANONICAL_DTYPES)


def canonical(value):
    """``value`` as a C-contiguous array of one of ``CANONICAL_DTYPES`` (``np.asarray`` first)."""
    a = value if isinstance(value, np.ndarray) else np.asarray(value)
    if a.dtype in _CANONICAL:
        return a if a.flags.c_contiguous else np.ascontiguousarray(a)
    name = a.dtype.name
    if name not in CANONICAL_DTYPES:
        target = _WIDEN.get(name)
        if target is None:
            raise BatchFormatError(
                "Unsupported array dtype `%s` in a batch: expected a numeric or bool array "
                "(float16/32/64, int8/16/32/64, uint8/16/32/64, bool). Found: %s" % (a.dtype, _truncate(value))
            )
        if name == "uint64" and a.size and a.max() > np.iinfo(np.int64).max:
            raise BatchFormatError("uint64 values above 2**63-1 cannot be converted to int64 in a batch.")
        a = a.astype(target)
    return np.ascontiguousarray(a)


def _is_scalar(v):
    return isinstance(v, (bool, int, float, np.generic))


def _part(value, arrays):
    """Appends ``value``'s arrays to ``arrays`` and returns its structure entry."""
    if value is None:
        return None
    if isinstance(value, dict):
        keys = tuple(value.keys())
        for k in keys:
            if not isinstance(k, str):
                raise BatchFormatError("Batch dict keys must be input or output names (str). Found key: %r" % (k,))
            arrays.append(canonical(value[k]))
        return (DICT, keys)
    if isinstance(value, (list, tuple)):
        # Keras: a list of numbers is one array; a list of lists or arrays is one array per input.
        if len(value) > 0 and all(_is_scalar(v) for v in value):
            arrays.append(canonical(value))
            return ARRAY
        for v in value:
            arrays.append(canonical(v))
        return (LIST, len(value))
    arrays.append(canonical(value))
    return ARRAY


def flatten(item):
    """``(structure, arrays)`` for one generator or Sequence item (see the module docstring)."""
    if item is None:
        raise BatchFormatError(_TUPLE_ERROR + "None")
    if isinstance(item, (tuple, list)):
        if len(item) not in (1, 2, 3):
            raise BatchFormatError(_TUPLE_ERROR + _truncate(item))
        parts = tuple(item) + (None,) * (3 - len(item))
    else:
        parts = (item, None, None)
    arrays = []
    structure = tuple(_part(p, arrays) for p in parts)
    return structure, arrays
