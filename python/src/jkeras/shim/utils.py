"""``keras.utils``: ``Sequence``, ``to_categorical``, ``normalize`` (numpy, no JVM needed: data modules import
them in worker processes too)."""

import numpy as np

from jkeras.shim import module_getattr
from jkeras.shim._files import get_file
from jkeras.utils import Sequence, to_categorical

__jkeras_shim__ = True
__all__ = ["Sequence", "get_file", "normalize", "to_categorical"]


def normalize(x, axis=-1, order=2):
    """``keras.utils.normalize``: ``x`` divided by its L-``order`` norm along ``axis`` (zeros stay zeros)."""
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)


__getattr__ = module_getattr("keras.utils")
