"""Light stand-ins for the parts of ``keras.utils`` that data-generator modules import.

A user's generator module often does ``from keras.utils import Sequence, to_categorical``. Loading
real Keras would load TensorFlow's Python runtime, which jkeras never does inside the JVM, so the
bridge can offer these instead. They follow Keras 2.3.1's behaviour.
"""

import numpy as np

__all__ = ["Sequence", "to_categorical"]


class Sequence:
    """Base class for a dataset indexed by batch, as ``keras.utils.Sequence``.

    Subclasses implement ``__getitem__(index)`` returning one batch and ``__len__()`` returning
    the number of batches; ``on_epoch_end()`` is called after every epoch.
    """

    use_sequence_api = True

    def __getitem__(self, index):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def on_epoch_end(self):
        """Called at the end of every epoch; override to reshuffle or reload."""

    def __iter__(self):
        """Yields every batch once, in order (Keras' ``Sequence.__iter__``)."""
        yield from (self[i] for i in range(len(self)))


def to_categorical(y, num_classes=None, dtype="float32"):
    """One-hot encodes class ids, as ``keras.utils.to_categorical`` (Keras 2.3.1).

    ``y`` of shape ``(n,)`` or ``(n, 1)`` gives ``(n, num_classes)``; higher ranks keep their
    leading axes, a trailing axis of 1 being dropped first.
    """
    y = np.array(y, dtype="int")
    input_shape = y.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = tuple(input_shape[:-1])
    y = y.ravel()
    if not num_classes:
        num_classes = np.max(y) + 1
    n = y.shape[0]
    categorical = np.zeros((n, num_classes), dtype=dtype)
    categorical[np.arange(n), y] = 1
    output_shape = (*input_shape, num_classes)
    return np.reshape(categorical, output_shape)
