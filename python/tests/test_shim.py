"""jkeras.shim outside the JVM: the import hook, the data utilities, and clear failures (the JVM-side behaviour
is tested by java/python's KerasScriptTest)."""

import re
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
        import keras.applications.vgg16  # noqa: F401
    with open(__file__) as f:
        line = 1 + next(i for i, t in enumerate(f) if t.strip().startswith("import keras.applications.vgg16"))
    assert str(e.value) == "not supported by jkeras yet: module keras.applications (%s, line %d)" % (__file__, line)


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


def test_datasets_load_from_the_keras_cache_as_keras_does(installed, tmp_path, monkeypatch, capsys):
    import gzip
    import pickle
    import tarfile
    import urllib.request

    def offline(url, filename):
        raise OSError("offline")

    monkeypatch.setattr(urllib.request, "urlretrieve", offline)
    monkeypatch.setenv("HOME", str(tmp_path))
    cache = tmp_path / ".keras" / "datasets"
    (cache / "fashion-mnist").mkdir(parents=True)
    for prefix, n in (("train", 3), ("t10k", 2)):
        with gzip.open(cache / "fashion-mnist" / ("%s-labels-idx1-ubyte.gz" % prefix), "wb") as f:
            f.write(bytes(8) + bytes(range(n)))
        with gzip.open(cache / "fashion-mnist" / ("%s-images-idx3-ubyte.gz" % prefix), "wb") as f:
            f.write(bytes(16) + bytes(n * 28 * 28))
    batches = tmp_path / "cifar-10-batches-py"
    batches.mkdir()
    for name, n in [*[("data_batch_%d" % i, 10000) for i in range(1, 6)], ("test_batch", 4)]:
        data = {b"data": np.full((n, 3072), 7, "uint8"), b"labels": [i % 10 for i in range(n)]}
        with open(batches / name, "wb") as f:
            pickle.dump(data, f)
    with tarfile.open(cache / "cifar-10-batches-py.tar.gz", "w:gz") as t:
        t.add(batches, arcname="cifar-10-batches-py")
    # a cached file whose hash is not the dataset's is fetched again, as Keras does
    np.savez(cache / "mnist.npz", x_train=np.zeros((1, 28, 28), "uint8"))

    from keras.datasets import cifar10, fashion_mnist, mnist

    (x_train, y_train), (x_test, y_test) = fashion_mnist.load_data()
    assert x_train.shape == (3, 28, 28) and y_train.tolist() == [0, 1, 2] and x_test.shape == (2, 28, 28)
    (x_train, y_train), (x_test, y_test) = cifar10.load_data()
    assert x_train.shape == (50000, 32, 32, 3) and y_train.shape == (50000, 1) and x_test.shape == (4, 32, 32, 3)
    assert y_test[:, 0].tolist() == [0, 1, 2, 3]
    url = "https://s3.amazonaws.com/img-datasets/mnist.npz"
    with pytest.raises(Exception, match="^" + re.escape("URL fetch failure on " + url)):
        mnist.load_data()
    assert "Downloading data from " + url in capsys.readouterr().out
