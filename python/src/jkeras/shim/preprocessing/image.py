"""``keras.preprocessing.image.ImageDataGenerator``: Java's ``jkeras.preprocessing.image.ImageDataGenerator``
(keras_preprocessing 1.1.2's), built from Keras' keywords; ``flow`` gives a Java Sequence that ``fit_generator``
reads on Java threads."""

import os
import re

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
    def flow(self, x, *args, **kwargs):
        a = _arguments("flow", _FLOW, args, kwargs)
        y = a.pop("y", None)
        options = _options(_java.jclass("jkeras.preprocessing.image.FlowOptions").builder(), a)
        return _JavaSequence(self._j.flow(_java.to_array(x), None if y is None else _java.to_array(y), options))

    @_java.java_errors
    def flow_from_directory(self, directory, *args, **kwargs):
        a = _arguments("flow_from_directory", _DIRECTORY, args, kwargs)
        options = _options(_java.jclass("jkeras.preprocessing.image.DirectoryOptions").builder(), a)
        path = _java.jclass("java.nio.file.Path").of(os.path.abspath(os.fspath(directory)), [])
        return _JavaSequence(self._j.flowFromDirectory(path, options))

    def standardize(self, x):
        return _java.to_numpy(self._j.standardize(_java.to_array(x)))

    def random_transform(self, x, seed=None):
        return _java.to_numpy(self._j.randomTransform(_java.to_array(x), None if seed is None else int(seed)))


# Keras 2.3.1's positional parameters after the first.
_FLOW = "y batch_size shuffle sample_weight seed save_to_dir save_prefix save_format subset".split()
_DIRECTORY = (
    "target_size color_mode classes class_mode batch_size shuffle seed save_to_dir save_prefix save_format "
    "follow_links subset interpolation"
).split()


def _arguments(method, names, args, kwargs):
    if len(args) > len(names):
        raise TypeError("%s() takes at most %d positional arguments" % (method, len(names) + 1))
    a = dict(zip(names, args))
    for k, v in kwargs.items():
        if k not in names:
            raise TypeError("%s() got an unexpected keyword argument '%s'" % (method, k))
        a[k] = v
    if a.get("save_to_dir") is not None:
        raise not_supported("ImageDataGenerator.%s(save_to_dir=...)" % method)
    for k in ("save_to_dir", "save_prefix", "save_format"):
        a.pop(k, None)
    return a


def _options(builder, a):
    """The Java options builder given Keras' keywords, each by its camelCase method."""
    for key, value in a.items():
        if key == "target_size":
            builder = builder.targetSize(int(value[0]), int(value[1]))
        elif key == "sample_weight":
            builder = builder.sampleWeight(None if value is None else _java.to_array(value))
        elif key == "classes":
            builder = builder.classes(None if value is None else [str(c) for c in value])
        else:
            method = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
            builder = getattr(builder, method)(value)
    return builder.build()


class _JavaSequence:
    """A Java ``Sequence`` (``flow``'s iterator): indexable from Python, and handed to Java as it is."""

    def __init__(self, j):
        self._j = j
        self._java_sequence = j

    def __len__(self):
        return int(self._j.size())

    def __getitem__(self, index):
        """Keras' batch: ``x``, ``(x, y)`` or ``(x, y, sample_weight)``."""
        batch = self._j.get(int(index))
        parts = [batch.x(), batch.y(), batch.sampleWeight()]
        while parts[-1] is None:
            parts.pop()
        out = tuple(_java.to_numpy(p) for p in parts)
        return out[0] if len(out) == 1 else out

    def on_epoch_end(self):
        self._j.onEpochEnd()


__getattr__ = module_getattr("keras.preprocessing.image")
