"""``keras.preprocessing.image.ImageDataGenerator``: Java's ``jkeras.preprocessing.image.ImageDataGenerator``
(keras_preprocessing 1.1.2's), built from Keras' keywords; ``flow`` gives a Java Sequence that ``fit_generator``
reads on Java threads."""

from jkeras.shim import _java, module_getattr, not_supported
from jkeras.shim._config import to_config

__jkeras_shim__ = True


class ImageDataGenerator:
    """``ImageDataGenerator(**kwargs)``: Keras' keywords and defaults (``preprocessing_function`` excepted)."""

    @_java.java_errors
    def __init__(self, **kwargs):
        if kwargs.get("preprocessing_function") is not None:
            raise not_supported("ImageDataGenerator(preprocessing_function=...) written in Python")
        kwargs.pop("preprocessing_function", None)
        self._j = _java.jclass("jkeras.preprocessing.image.ImageDataGenerator").fromConfig(to_config(kwargs))

    @_java.java_errors
    def fit(self, x, augment=False, rounds=1, seed=None):
        self._j.fit(_java.to_array(x), bool(augment), int(rounds), None if seed is None else int(seed))

    @_java.java_errors
    def flow(
        self,
        x,
        y=None,
        batch_size=32,
        shuffle=True,
        sample_weight=None,
        seed=None,
        save_to_dir=None,
        save_prefix="",
        save_format="png",
        subset=None,
    ):
        if sample_weight is not None or save_to_dir is not None:
            raise not_supported(
                "ImageDataGenerator.flow(%s=...)" % ("sample_weight" if sample_weight is not None else "save_to_dir")
            )
        b = _java.jclass("jkeras.preprocessing.image.FlowOptions").builder().batchSize(int(batch_size))
        b = b.shuffle(bool(shuffle))
        if seed is not None:
            b = b.seed(int(seed))
        if subset is not None:
            b = b.subset(subset)
        return _JavaSequence(self._j.flow(_java.to_array(x), None if y is None else _java.to_array(y), b.build()))

    def standardize(self, x):
        return _java.to_numpy(self._j.standardize(_java.to_array(x)))

    def random_transform(self, x, seed=None):
        return _java.to_numpy(self._j.randomTransform(_java.to_array(x), None if seed is None else int(seed)))


class _JavaSequence:
    """A Java ``Sequence`` (``flow``'s iterator): indexable from Python, and handed to Java as it is."""

    def __init__(self, j):
        self._j = j

    def __len__(self):
        return int(self._j.size())

    def __getitem__(self, index):
        batch = self._j.get(int(index))
        x = _java.to_numpy(batch.x()) if hasattr(batch.x(), "shape") else batch.x()
        y = batch.y()
        return (x, _java.to_numpy(y)) if y is not None else x

    def on_epoch_end(self):
        self._j.onEpochEnd()


__getattr__ = module_getattr("keras.preprocessing.image")
