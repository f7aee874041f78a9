"""jkeras.shim outside the JVM: the import hook, the data utilities, and clear failures (the JVM-side behaviour
is tested by java/python's KerasScriptTest)."""

import sys

import numpy as np
import pytest

from jkeras import keras_shim, shim


@pytest.fixture()
def installed():
    shim.install()
    yield
    shim.uninstall()
    if "jkeras.bridge" in sys.modules:
        keras_shim.install()  # as the runner leaves it


def test_keras_and_tensorflow_keras_paths_are_one_shim(installed):
    import keras
    import tensorflow as tf
    import tf_keras
    from keras.utils import np_utils
    from tensorflow.keras.utils import Sequence, to_categorical

    assert keras.utils is tf.keras.utils is tf_keras.utils
    assert Sequence is keras.utils.Sequence and np_utils.to_categorical is to_categorical
    assert to_categorical([0, 2]).tolist() == [[1, 0, 0], [0, 0, 1]]
    assert getattr(sys.modules["tensorflow"], shim.MARK)
    assert not [m for m in sys.modules if m.startswith("tensorflow.python")]
    from keras.layers import core

    assert core is keras.layers


def test_normalize_is_keras(installed):
    from keras.utils import normalize

    x = np.array([[3.0, 4.0], [0.0, 0.0]])
    assert np.allclose(normalize(x), [[0.6, 0.8], [0.0, 0.0]])


def test_a_missing_module_names_the_callers_file_and_line(installed):
    with pytest.raises(shim.NotSupportedError) as e:
        import keras.datasets.mnist  # noqa: F401
    with open(__file__) as f:
        line = 1 + next(i for i, t in enumerate(f) if t.strip().startswith("import keras.datasets.mnist"))
    assert str(e.value) == "not supported by jkeras yet: module keras.datasets (%s, line %d)" % (__file__, line)


def test_a_missing_tensorflow_name_fails_clearly(installed):
    import tensorflow as tf

    with pytest.raises(shim.NotSupportedError, match=r"^not supported by jkeras yet: tensorflow.constant \("):
        tf.constant(1)
    assert not hasattr(tf, "__not_a_dunder__")


def test_models_need_the_jvm(installed):
    from keras.layers import Input

    with pytest.raises(RuntimeError, match="only inside the JVM"):
        Input(shape=(3,))


def test_uninstall_restores_the_real_lookup():
    shim.install()
    import keras

    assert getattr(keras, shim.MARK)
    shim.uninstall()
    assert "keras" not in sys.modules and not shim.installed()
