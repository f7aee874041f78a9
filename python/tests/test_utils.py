import numpy as np
import pytest

from jkeras.utils import Sequence, to_categorical


def test_to_categorical_one_hot_rows():
    out = to_categorical([0, 2, 1], num_classes=3)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[1, 0, 0], [0, 0, 1], [0, 1, 0]])


def test_to_categorical_infers_classes_and_drops_trailing_one():
    out = to_categorical(np.array([[1], [3]]))
    assert out.shape == (2, 4)
    np.testing.assert_array_equal(out.argmax(axis=1), [1, 3])


def test_to_categorical_keeps_leading_axes():
    out = to_categorical(np.array([[0, 1], [1, 0]]), num_classes=2)
    assert out.shape == (2, 2, 2)


@pytest.mark.parametrize(
    "y,num_classes",
    [([0, 1, 2], None), ([[1], [0]], 3), (np.arange(6).reshape(2, 3), 6)],
)
def test_to_categorical_matches_tf_keras(y, num_classes):
    tfk_utils = pytest.importorskip("tf_keras.utils")
    expected = tfk_utils.to_categorical(y, num_classes)
    np.testing.assert_array_equal(to_categorical(y, num_classes), expected)


class Squares(Sequence):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return np.full((2, 1), i, dtype="float32"), np.full((2, 1), i * i, dtype="float32")


def test_sequence_iterates_every_batch_in_order():
    batches = list(Squares())
    assert [int(y[0, 0]) for _, y in batches] == [0, 1, 4]


def test_sequence_is_detected_like_keras_does():
    # Keras 2.3.1's is_sequence: the use_sequence_api flag or every Sequence attribute present.
    seq = Squares()
    assert getattr(seq, "use_sequence_api", False)
    for attr in ("__getitem__", "__len__", "on_epoch_end", "__iter__"):
        assert hasattr(seq, attr)


def test_base_sequence_requires_overrides():
    with pytest.raises(NotImplementedError):
        len(Sequence())
