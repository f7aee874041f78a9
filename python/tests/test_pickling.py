"""jkeras.pickling: a Sequence holding locks and a generator crosses to another process."""

import pickle
import socket
import threading

import pytest

from jkeras import pickling


class Holder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rlock = threading.RLock()
        self.cond = threading.Condition()
        self.gen = self._flow()
        self.state = [1, 2, 3]

    def _flow(self):
        while True:
            yield 1


def test_plain_pickle_refuses_what_the_sequence_pickler_takes():
    h = Holder()
    with pytest.raises(TypeError):
        pickle.dumps(h)
    h.lock.acquire()  # a held lock arrives unlocked: the copy serves one thread
    copy = pickle.loads(pickling.dumps(h))
    assert copy.state == [1, 2, 3]
    assert type(copy.lock) is type(threading.Lock()) and not copy.lock.locked()
    assert type(copy.rlock) is type(threading.RLock())
    with copy.cond:
        copy.cond.notify_all()
    with pytest.raises(RuntimeError, match=r"The generator Holder._flow was not copied"):
        next(copy.gen)


def test_other_unpicklable_members_still_fail():
    h = Holder()
    with socket.socket() as s:
        h.socket = s  # neither by reference nor by value
        with pytest.raises(TypeError, match="socket"):
            pickling.dumps(h)


def test_a_class_that_cannot_be_imported_by_name_is_pickled_by_value():
    # As a Sequence defined in a script run by `jkeras run` (its __main__ is not importable in a worker).
    namespace = {"__name__": "__jkeras_script__", "threading": threading}
    exec(
        "class ScriptSeq:\n"
        "    def __init__(self):\n"
        "        self.lock = threading.Lock()\n"
        "        self.items = [4, 5]\n"
        "    def __getitem__(self, i):\n"
        "        return self.items[i] * 2\n",
        namespace,
    )
    seq = namespace["ScriptSeq"]()
    with pytest.raises(pickle.PicklingError):
        pickle.dumps(seq)
    copy = pickle.loads(pickling.dumps(seq))
    assert copy[1] == 10
    assert not copy.lock.locked()
