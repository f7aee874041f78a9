"""``keras.callbacks``: Keras' callbacks that jkeras has in Java (built from Keras' arguments with their
``fromConfig``), ``LearningRateScheduler`` and ``LambdaCallback``, and ``Callback`` for the script's own:
a subclass's methods are called from the Java training loop, on the script's thread."""

import numpy as np

from jkeras.shim import _java, module_getattr, not_supported
from jkeras.shim._config import to_config
from jkeras.shim.models import History

__jkeras_shim__ = True

# Keras 2.3.1's positional arguments of the callbacks jkeras has in Java.
JAVA_CALLBACKS = {
    "EarlyStopping": "monitor min_delta patience verbose mode baseline restore_best_weights",
    "ModelCheckpoint": "filepath monitor verbose save_best_only save_weights_only mode period",
    "ReduceLROnPlateau": "monitor factor patience verbose mode min_delta cooldown min_lr",
    "CSVLogger": "filename separator append",
    "TensorBoard": "log_dir histogram_freq batch_size write_graph write_grads write_images embeddings_freq "
    "embeddings_layer_names embeddings_metadata embeddings_data update_freq",
    "TerminateOnNaN": "",
    "RemoteMonitor": "root path field headers send_as_json",
}

_METHODS = (
    "on_train_begin on_train_end on_epoch_begin on_epoch_end on_train_batch_begin on_train_batch_end "
    "on_test_begin on_test_end on_test_batch_begin on_test_batch_end on_predict_begin on_predict_end "
    "on_predict_batch_begin on_predict_batch_end"
).split()


class Callback:
    """``keras.callbacks.Callback``: subclass it and override ``on_epoch_end`` etc., as in Keras."""

    def __init__(self):
        self.validation_data = None
        self.model = None
        self.params = {}

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self.model = model

    def on_batch_begin(self, batch, logs=None):
        pass

    def on_batch_end(self, batch, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass


def _overridden(cb):
    """The Keras methods ``cb``'s class overrides (the only ones Java calls back)."""
    cls = type(cb)
    out = []
    for m in _METHODS:
        if getattr(cls, m) is not getattr(Callback, m):
            out.append(m)
    pairs = {"on_train_batch_begin": "on_batch_begin", "on_train_batch_end": "on_batch_end"}
    for m, legacy in pairs.items():
        if m not in out and getattr(cls, legacy) is not getattr(Callback, legacy):
            out.append(m)
    for m in _METHODS:
        # instance attributes (LambdaCallback's functions)
        if m in cb.__dict__ and m not in out:
            out.append(m)
    return out


class _Hook:
    """What Java calls: ``(method, index, logs)`` -> the Python method; returns the logs when it changed them."""

    def __init__(self, cb, model):
        self.cb = cb
        self.model = model
        self.java = None

    def __call__(self, method, index, jlogs):
        if method == "on_train_begin" or self.cb.model is not self.model:
            self.cb.set_model(self.model)
            if self.java is not None:
                self.cb.set_params(_java.to_python(self.java.params()) or {})
                self.cb.validation_data = _validation_data(self.java.validationData())
        logs = {str(k): _value(v) for k, v in _java.to_python(jlogs).items()}
        before = dict(logs)
        fn = getattr(self.cb, method)
        if index >= 0:
            fn(int(index), logs)
        else:
            fn(logs)
        if logs != before:
            return {
                k: (float(v) if isinstance(v, (np.generic, float, int)) and not isinstance(v, bool) else v)
                for k, v in logs.items()
                if before.get(k, object()) is not v
            }
        return None


def _validation_data(jvd):
    """Keras 2.3.1's ``callback.validation_data``: the validation inputs, targets and sample weights, one list
    of numpy arrays (None without array validation data)."""
    if jvd is None:
        return None
    return [*_java.to_numpy_list(jvd.x()), *_java.to_numpy_list(jvd.y()), *_java.to_numpy_list(jvd.sampleWeights())]


def _value(v):
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v


def to_java(cb, model):
    """A callback given to ``fit``/``evaluate``/``predict`` as a Java ``Callback``."""
    j = getattr(cb, "_j", None)
    if j is not None:
        return j
    if isinstance(cb, Callback):
        hook = _Hook(cb, model)
        hook.java = _java.support().callback(hook, _overridden(cb))
        return hook.java
    raise TypeError("callbacks must be keras.callbacks.Callback instances. Received: %r" % (cb,))


class _JavaCallback:
    """A Keras callback jkeras has in Java, built from Keras' arguments (``fromConfig``)."""

    _class_name = None
    _positional = ()

    @_java.java_errors
    def __init__(self, *args, **kwargs):
        if len(args) > len(self._positional):
            raise TypeError("%s() takes %d positional arguments" % (self._class_name, len(self._positional)))
        config = dict(zip(self._positional, args))
        config.update(kwargs)
        self._j = _java.jclass("jkeras.callbacks." + self._class_name).fromConfig(to_config(config))

    @property
    def model(self):
        from jkeras.shim.layers import wrap_layer

        j = self._j.model()
        return None if j is None else wrap_layer(j)


_classes = {}


def _lookup(name):
    if name in _classes:
        return _classes[name]
    if name not in JAVA_CALLBACKS:
        return None
    cls = type(
        name,
        (_JavaCallback,),
        {"_class_name": name, "_positional": tuple(JAVA_CALLBACKS[name].split()), "__module__": __name__},
    )
    _classes[name] = cls
    globals()[name] = cls
    return cls


__getattr__ = module_getattr("keras.callbacks", _lookup)


class LearningRateScheduler(Callback):
    """``LearningRateScheduler(schedule, verbose=0)``: ``schedule(epoch)`` or ``schedule(epoch, lr)``."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        j = self.model._j
        try:
            lr = self.schedule(epoch, float(j.learningRate()))
        except TypeError:  # Keras 2.3.1: the old one-argument form
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError('The output of the "schedule" function should be float.')
        j.setLearningRate(float(lr))
        if self.verbose > 0:
            print("\nEpoch %05d: LearningRateScheduler setting learning rate to %s." % (epoch + 1, lr))

    def on_epoch_end(self, epoch, logs=None):
        logs["lr"] = float(self.model._j.learningRate())


class LambdaCallback(Callback):
    """``LambdaCallback(on_epoch_begin=None, on_epoch_end=None, on_batch_begin=None, on_batch_end=None,
    on_train_begin=None, on_train_end=None)``."""

    def __init__(
        self,
        on_epoch_begin=None,
        on_epoch_end=None,
        on_batch_begin=None,
        on_batch_end=None,
        on_train_begin=None,
        on_train_end=None,
        **kwargs,
    ):
        super().__init__()
        self.__dict__.update(kwargs)
        for name, fn in (
            ("on_epoch_begin", on_epoch_begin),
            ("on_epoch_end", on_epoch_end),
            ("on_train_begin", on_train_begin),
            ("on_train_end", on_train_end),
        ):
            if fn is not None:
                setattr(self, name, fn)
        if on_batch_begin is not None:
            self.on_train_batch_begin = on_batch_begin
        if on_batch_end is not None:
            self.on_train_batch_end = on_batch_end


class ProgbarLogger(Callback):
    """Keras adds it to every ``fit`` (``verbose`` chooses its form); given explicitly it is not supported yet."""

    def __init__(self, *args, **kwargs):
        raise not_supported("keras.callbacks.ProgbarLogger given explicitly", "fit(verbose=...) chooses it")


class BaseLogger(Callback):
    """Keras adds it to every ``fit`` (the epoch averages); given explicitly it is not supported yet."""

    def __init__(self, *args, **kwargs):
        raise not_supported("keras.callbacks.BaseLogger given explicitly", "every fit averages the metrics already")


__all__ = ["Callback", "History", "LambdaCallback", "LearningRateScheduler"]
