"""``tensorflow`` inside the JVM: ``tf.keras`` is jkeras' shim; TensorFlow's own Python runtime is never loaded
(it would be a second TensorFlow next to TensorFlow Java), so every other name fails clearly."""

from jkeras.shim import keras, module_getattr

keras = keras  # `tf.keras`

__jkeras_shim__ = True
__version__ = "2.18.0"
__path__ = []

__getattr__ = module_getattr("tensorflow")
