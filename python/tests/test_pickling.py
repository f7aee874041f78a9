"""jkeras.pickling: a Sequence holding locks and a generator crosses to another process."""

import pickle
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
    class Local:
        pass

    h = Holder()
    h.local = Local()  # a class defined in a function cannot be pickled by reference
    with pytest.raises((AttributeError, pickle.PicklingError)):
        pickling.dumps(h)
