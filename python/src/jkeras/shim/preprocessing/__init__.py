"""``keras.preprocessing``: ``image`` (``ImageDataGenerator``)."""

from jkeras.shim import module_getattr

__jkeras_shim__ = True

__getattr__ = module_getattr("keras.preprocessing")
