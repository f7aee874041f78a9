"""A script's own generator or Sequence for worker processes (``use_multiprocessing=True``).

The script runs as ``__main__``, which a worker process cannot import; its classes and functions are
pickled by value (cloudpickle) into a file that each worker loads with :func:`load`. The modules they
use are pickled by reference, so the file starts with the script's ``sys.path`` (its directory first),
which :func:`load` adds to the worker's before unpickling: a Sequence that uses a module next to the
script loads as in Keras 2.3.1's forked workers.
"""

import os
import pickle
import sys
import tempfile

#: The script being run (for messages).
main_file = None


def dump(obj):
    """Pickles ``obj`` by value into a new file; returns its path (the caller deletes it)."""
    try:
        import cloudpickle
    except ImportError:
        raise RuntimeError(
            "use_multiprocessing=True with a generator or Sequence defined in the script needs cloudpickle "
            "in the venv (scripts/setup-python.sh installs it)."
        ) from None
    fd, path = tempfile.mkstemp(prefix="jkeras-source-", suffix=".pkl")
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(list(sys.path), f, protocol=pickle.HIGHEST_PROTOCOL)
            cloudpickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        os.unlink(path)
        raise
    return path


def load(path):
    """The object :func:`dump` wrote."""
    with open(path, "rb") as f:
        for p in pickle.load(f):
            if p not in sys.path:
                sys.path.append(p)
        return pickle.load(f)
