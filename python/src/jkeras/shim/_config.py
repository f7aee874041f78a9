"""Python keyword values as the Keras configs jkeras' Java ``fromConfig``/``deserialize`` entry points read."""

import numpy as np

from jkeras.shim import not_supported


def to_config(value):
    """``value`` with shim objects as ``{"class_name", "config"}``, functions as their Keras names, tuples as
    lists and numpy scalars as Python numbers."""
    if isinstance(value, dict):
        return {str(k): to_config(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_config(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return to_config(value.tolist())
    java = getattr(value, "_j", None)
    if java is not None and hasattr(value, "_class_name"):
        # a layer given to a wrapper (Bidirectional(LSTM(8)), TimeDistributed(Dense(4)))
        from jkeras.shim import _java

        return {"class_name": type(value)._class_name, "config": _java.to_python(java.getConfig())}
    keras_config = getattr(value, "_keras_config", None)
    if keras_config is not None:
        return keras_config()
    if callable(value):
        name = getattr(value, "_keras_name", None)
        if name is not None:
            return name
        raise not_supported(
            "a Python function (%s) as a Keras argument" % getattr(value, "__name__", repr(value)),
            "use a Keras name (e.g. 'relu') or a keras.* object",
        )
    if hasattr(value, "getClass"):
        return value  # a Java object already
    raise TypeError("Could not interpret the argument %r" % (value,))
