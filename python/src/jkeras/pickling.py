"""Pickling a Sequence's state for the other worker processes (``use_multiprocessing=True``).

After ``on_epoch_end()`` worker 0 pickles the whole Sequence and the other workers load it, so
every worker fetches the next epoch from the same state. Plain ``pickle`` refuses two kinds of
members common in Sequences that only the JVM's main process would use concurrently:

* locks (``threading.Lock``, ``threading.RLock``; a ``Condition`` or ``Event`` holds one): a
  worker runs ``__getitem__`` on one thread, so a lock carries no state worth keeping. The copy
  gets a new, unlocked lock of the same kind.
* generator objects (e.g. keras_preprocessing's ``Iterator.index_generator``, used by
  ``__next__`` only): a running generator cannot be copied. The copy gets a generator that raises
  a ``RuntimeError`` naming the member's function when it is advanced; ``__getitem__`` never is.

Everything else pickles as usual. A Sequence whose class cannot be imported by name (defined in a script run
by ``jkeras run``, whose ``__main__`` the workers do not have) is pickled by value with cloudpickle when it is
installed; an object that still cannot be pickled fails with its own error.
"""

import io
import pickle
import threading
import types

__all__ = ["SequencePickler", "dumps"]

_LOCK = type(threading.Lock())
_RLOCK = type(threading.RLock())


def _dropped_generator(name):
    raise RuntimeError(
        "The generator %s was not copied when this Sequence was sent to another worker process "
        "(use_multiprocessing=True): a running generator cannot be pickled. __getitem__ must not "
        "use it." % name
    )
    yield  # pragma: no cover - makes this a generator function


class SequencePickler(pickle.Pickler):
    """A ``pickle.Pickler`` that recreates locks and replaces generators (see the module)."""

    def reducer_override(self, obj):
        return _reduce_special(obj)


def _reduce_special(obj):
    t = type(obj)
    if t is _LOCK:
        return threading.Lock, ()
    if t is _RLOCK:
        return threading.RLock, ()
    if t is types.GeneratorType:
        return _dropped_generator, (obj.__qualname__,)
    return NotImplemented


def _by_value_pickler():
    """A cloudpickle Pickler with :class:`SequencePickler`'s handling of locks and generators, or None."""
    try:
        import cloudpickle
    except ImportError:
        return None

    class ByValuePickler(cloudpickle.Pickler):
        def reducer_override(self, obj):
            r = _reduce_special(obj)
            return r if r is not NotImplemented else super().reducer_override(obj)

    return ByValuePickler


def dumps(obj):
    """``obj`` pickled with :class:`SequencePickler` (highest protocol); by value (cloudpickle) when its class
    cannot be pickled by name."""
    buf = io.BytesIO()
    try:
        SequencePickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    except (pickle.PicklingError, AttributeError) as e:
        by_value = _by_value_pickler()
        if by_value is None:
            raise
        buf = io.BytesIO()
        try:
            by_value(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
        except Exception:
            raise e from None
    return buf.getvalue()
