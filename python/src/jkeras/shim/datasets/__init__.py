"""``keras.datasets``: ``mnist``, ``fashion_mnist``, ``cifar10``, ``boston_housing`` as Keras 2.3.1 loads them
(from the Keras cache, downloaded there when missing); plain numpy, no JVM needed."""

from jkeras.shim import module_getattr

__jkeras_shim__ = True

__getattr__ = module_getattr("keras.datasets")
