"""``keras.models``: ``Model``, ``Sequential``, ``load_model``, ``model_from_json``, ``save_model``.

``Model`` and ``Sequential`` are plain Python classes holding a Java ``jkeras.models.Model``: each method
turns its arguments (Keras' keywords, defaults and legacy names) into the Java call, and its result back
into what Keras returns (a ``History`` of Python floats, numpy arrays, a scalar or a list of scores).
"""

import inspect
import os
import threading
import warnings

import numpy as np

from jkeras.shim import _java, layers, module_getattr, not_supported
from jkeras.shim._config import to_config

_thread_id = threading.get_ident
_native_train = _java._onbatch.train if _java._onbatch is not None else None

__jkeras_shim__ = True

# The Java models the script made or loaded: closed (their graphs and native tensors freed) when it ends.
_models = []


def close_all():
    """Closes every Java model of the run and forgets the Python wrappers (``jkeras.shim.runner``)."""
    while _models:
        j = _models.pop()
        try:
            j.close()
        except Exception:
            pass
    layers._wrappers.clear()


class History:
    """What ``fit`` returns: ``history`` (metric name -> list of Python floats), ``epoch``, ``params``, ``model``."""

    def __init__(self, jhistory, model):
        self.model = model
        self.epoch = [int(e) for e in jhistory.epoch()]
        self.history = {str(k): [float(v) for v in vs] for k, vs in _java.to_python(jhistory.history()).items()}
        self.params = _java.to_python(jhistory.params()) if hasattr(jhistory, "params") else {}

    def __repr__(self):
        return "<keras.callbacks.History epochs=%d>" % len(self.epoch)


def _scores(jscores):
    """Keras' evaluate/test_on_batch result: a float when there is one value, else a list of floats."""
    values = [float(v) for v in jscores.toDoubleArray()]
    return values[0] if len(values) == 1 else values


def _scores_of(values):
    """``_scores`` of a Java ``double[]``."""
    out = [float(v) for v in values]
    return out[0] if len(out) == 1 else out


def _is_stream(x):
    """A generator, iterator or Sequence (not array data)."""
    if x is None or isinstance(x, (np.ndarray, list, tuple, dict)):
        return False
    return hasattr(x, "__next__") or inspect.isgenerator(x) or (hasattr(x, "__getitem__") and hasattr(x, "__len__"))


class _Call:
    """The Java resources of one ``fit``/``evaluate``/``predict`` call (data sources, pickle files), closed at
    its end."""

    def __init__(self, workers, use_multiprocessing):
        self.workers = workers
        self.use_multiprocessing = use_multiprocessing
        self.closeables = []
        self.files = []

    def source(self, x):
        """A script's generator or Sequence as a Java data source (a Java Sequence, ``flow``'s, as it is)."""
        java = getattr(x, "_java_sequence", None)
        if java is not None:
            return java
        if self.use_multiprocessing and self.workers > 0:
            from jkeras.shim import _pickled

            path = _pickled.dump(_rebuildable(x))
            self.files.append(path)
            s = _java.support().pickledSource(path)
        else:
            s = _java.support().source(x)
        self.closeables.append(s)
        return s

    def close(self):
        for c in self.closeables:
            try:
                c.close()
            except Exception:
                pass
        for f in self.files:
            try:
                os.unlink(f)
            except OSError:
                pass


def _rebuildable(x):
    """A Sequence pickles as it is; a generator not yet started is rebuilt from its function and arguments."""
    if inspect.isgenerator(x):
        frame = x.gi_frame
        if frame is None or _started(x):
            raise ValueError(
                "use_multiprocessing=True needs a generator that has not started yet (each worker process "
                "rebuilds it from its function and arguments)."
            )
        fn = frame.f_globals.get(x.gi_code.co_name)
        if fn is None or getattr(fn, "__code__", None) is not x.gi_code:
            raise not_supported(
                "use_multiprocessing=True with a generator from a nested function (%s)" % x.gi_code.co_name
            )
        code = x.gi_code
        names = code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]
        kwargs = {n: frame.f_locals[n] for n in names}
        return _GeneratorFactory(fn, kwargs)
    return x


def _started(gen):
    return inspect.getgeneratorstate(gen) != inspect.GEN_CREATED


class _GeneratorFactory:
    """Calls ``fn(**kwargs)`` when unpickled in a worker: a fresh generator there."""

    def __init__(self, fn, kwargs):
        self.fn = fn
        self.kwargs = kwargs

    def __reduce__(self):
        return (_call, (self.fn, self.kwargs))


def _call(fn, kwargs):
    return fn(**kwargs)


def _check_keywords(method, a, names):
    for k in a:
        if k not in names:
            raise TypeError("%s() got an unexpected keyword argument '%s'" % (method, k))


def _check_generator_arguments(a):
    """Keras 2.3.1's refusals of array-only arguments with a generator; drops ``batch_size``."""
    for name, what in (("y", "targets"), ("sample_weight", "sample weights"), ("validation_split", None)):
        value = a.pop(name, None)
        if value is None or (name == "validation_split" and not value):
            continue
        if what is None:
            raise ValueError("If your data is in the form of a Python generator, you cannot use `validation_split`.")
        raise ValueError(
            "`%s` argument is not supported when data is a generator or Sequence instance. Instead pass %s as "
            "the %s element of the generator." % (name, what, "second" if name == "y" else "third")
        )
    a.pop("batch_size", None)


def _signature_kwargs(fn_name, names, args, kwargs):
    """Positional ``args`` named by ``names`` (Keras' order), merged with ``kwargs``."""
    if len(args) > len(names):
        raise TypeError("%s() takes %d positional arguments but %d were given" % (fn_name, len(names), len(args)))
    out = dict(zip(names, args))
    for k, v in kwargs.items():
        if k in out:
            raise TypeError("%s() got multiple values for argument '%s'" % (fn_name, k))
        out[k] = v
    return out


_FIT_ARGS = (
    "x y batch_size epochs verbose callbacks validation_split validation_data shuffle class_weight "
    "sample_weight initial_epoch steps_per_epoch validation_steps validation_freq max_queue_size workers "
    "use_multiprocessing"
).split()
_EVALUATE_ARGS = (
    "x y batch_size verbose sample_weight steps callbacks max_queue_size workers use_multiprocessing".split()
)
_PREDICT_ARGS = "x batch_size verbose steps callbacks max_queue_size workers use_multiprocessing".split()
_FIT_GENERATOR_ARGS = (
    "generator steps_per_epoch epochs verbose callbacks validation_data validation_steps validation_freq "
    "class_weight max_queue_size workers use_multiprocessing shuffle initial_epoch"
).split()
_FIT_GENERATOR_LEGACY = "pickle_safe nb_worker max_q_size samples_per_epoch nb_epoch nb_val_samples".split()
_LEGACY_NAMES = frozenset([*_FIT_GENERATOR_LEGACY, "val_samples"])
_EVALUATE_GENERATOR_ARGS = "generator steps callbacks max_queue_size workers use_multiprocessing verbose".split()
_PREDICT_GENERATOR_ARGS = "generator steps callbacks max_queue_size workers use_multiprocessing verbose".split()


class Model:
    """``keras.models.Model`` (``keras.Model``): ``Model(inputs, outputs, name=None)``."""

    def __init__(self, *args, **kwargs):
        if type(self) is not Model and type(self) is not Sequential and "call" in type(self).__dict__:
            raise not_supported(
                "keras.Model subclasses with a Python call() (%s)" % type(self).__name__,
                "build the model with the functional API or Sequential",
            )
        if "input" in kwargs and "inputs" not in kwargs:
            warnings.warn("Update your `Model` call to the Keras 2 API: `Model(inputs=..., outputs=...)`", stacklevel=2)
            kwargs["inputs"] = kwargs.pop("input")
        if "output" in kwargs and "outputs" not in kwargs:
            kwargs["outputs"] = kwargs.pop("output")
        a = _signature_kwargs("Model", ("inputs", "outputs", "name"), args, kwargs)
        unknown = set(a) - {"inputs", "outputs", "name"}
        if unknown:
            raise TypeError("Keyword argument not understood: %s" % sorted(unknown)[0])
        if "inputs" not in a or "outputs" not in a:
            raise not_supported("keras.Model without inputs and outputs (subclassed models)")
        self._init(a["inputs"], a["outputs"], a.get("name"))

    @_java.java_errors
    def _init(self, inputs, outputs, name):
        ins = layers.unwrap_tensors(inputs, "Model")
        outs = layers.unwrap_tensors(outputs, "Model")
        cls = _java.jclass("jkeras.models.Model")
        self._j = cls(ins, outs, name) if name is not None else cls(ins, outs)
        self._register()

    def _register(self):
        layers._wrappers[layers._key(self._j)] = self
        _models.append(self._j)
        self._history = None
        self._on_batch = {}  # thread id -> _java.OnBatch

    def _steps(self):
        """This thread's ``_java.OnBatch`` of the model (the per-step calls' reused arrays)."""
        t = threading.get_ident()
        s = self._on_batch.get(t)
        if s is None:
            s = self._on_batch[t] = _java.OnBatch(self._j)
            if s._native is not None and self._native_binding is None:
                self._native_binding = (t, s._native)
        return s

    # ---------------------------------------------------------------- structure

    @property
    def name(self):
        return str(self._j.name())

    @property
    def layers(self):
        return [layers.wrap_layer(j) for j in self._j.layers()]

    @_java.java_errors
    def get_layer(self, name=None, index=None):
        if index is not None:
            return layers.wrap_layer(self._j.getLayer(int(index)))
        if name is None:
            raise ValueError("Provide either a layer name or layer index.")
        return layers.wrap_layer(self._j.getLayer(name))

    @property
    def inputs(self):
        return [layers.KerasTensor(t) for t in self._j.inputs()]

    @property
    def outputs(self):
        return [layers.KerasTensor(t) for t in self._j.outputs()]

    @property
    def input(self):
        ins = self.inputs
        return ins[0] if len(ins) == 1 else ins

    @property
    def output(self):
        outs = self.outputs
        return outs[0] if len(outs) == 1 else outs

    @property
    def input_names(self):
        return [str(n) for n in self._j.inputNames()]

    @property
    def output_names(self):
        return [str(n) for n in self._j.outputNames()]

    @property
    def metrics_names(self):
        return [str(n) for n in self._j.metricsNames()]

    @property
    def weights(self):
        return [layers.Weight(w) for w in self._j.weights()]

    @property
    def trainable_weights(self):
        return [layers.Weight(w) for w in self._j.trainableWeights()]

    @property
    def optimizer(self):
        from jkeras.shim import optimizers

        j = self._j.optimizer()
        return None if j is None else optimizers.wrap(j, self._j)

    @property
    def history(self):
        return self._history

    @property
    def stop_training(self):
        return bool(self._j.stopTraining())

    @stop_training.setter
    def stop_training(self, value):
        self._j.setStopTraining(bool(value))

    def get_weights(self):
        return _java.to_numpy_list(self._j.getWeights())

    @_java.java_errors
    def set_weights(self, weights):
        self._j.setWeights([_java.to_array(w) for w in weights])

    def count_params(self):
        return int(self._j.countParams())

    def summary(self, line_length=None, positions=None, print_fn=None):
        if line_length is not None or positions is not None:
            raise not_supported("model.summary(line_length=..., positions=...)")
        if print_fn is not None:
            stream = _java.jclass("java.io.ByteArrayOutputStream")()
            self._j.summary(_java.jclass("java.io.PrintStream")(stream, True, "UTF-8"))
            for line in str(stream.toString("UTF-8")).splitlines():
                print_fn(line)
            return
        import sys

        sys.stdout.flush()
        self._j.summary()

    def get_config(self):
        return _java.to_python(self._j.getConfig())

    def to_json(self, **kwargs):
        if kwargs:
            import json

            return json.dumps(json.loads(str(self._j.toJson())), **kwargs)
        return str(self._j.toJson())

    def to_yaml(self, **kwargs):
        raise not_supported("model.to_yaml")

    @_java.java_errors
    def save(self, filepath, overwrite=True, include_optimizer=True):
        _check_overwrite(filepath, overwrite)
        self._j.save(_path(filepath), bool(include_optimizer))

    @_java.java_errors
    def save_weights(self, filepath, overwrite=True):
        _check_overwrite(filepath, overwrite)
        self._j.saveWeights(_path(filepath))

    @_java.java_errors
    def load_weights(self, filepath, by_name=False, skip_mismatch=False, reshape=False):
        if reshape:
            raise not_supported("model.load_weights(reshape=True)")
        self._j.loadWeights(_path(filepath), bool(by_name), bool(skip_mismatch))

    def __call__(self, inputs, **kwargs):
        if kwargs:
            raise not_supported("calling a model with %s" % ", ".join(k + "=" for k in kwargs))
        return layers.wrap_tensors(layers._apply(self._j, layers.unwrap_tensors(inputs, "Model " + self.name)))

    # ---------------------------------------------------------------- compile

    @_java.java_errors
    def compile(
        self,
        optimizer="rmsprop",
        loss=None,
        metrics=None,
        loss_weights=None,
        sample_weight_mode=None,
        weighted_metrics=None,
        target_tensors=None,
        **kwargs,
    ):
        for name, value in (
            ("sample_weight_mode", sample_weight_mode),
            ("weighted_metrics", weighted_metrics),
            ("target_tensors", target_tensors),
        ):
            if value is not None:
                raise not_supported("compile(%s=...)" % name)
        if kwargs:
            raise ValueError("Invalid keyword argument(s) in `compile`: %s" % (set(kwargs),))
        from jkeras.shim import losses, optimizers
        from jkeras.shim import metrics as metrics_module

        config = {"optimizer": optimizers.to_java(optimizer), "loss": losses.to_java(loss)}
        if metrics is not None:
            config["metrics"] = metrics_module.to_java(metrics)
        if loss_weights is not None:
            config["loss_weights"] = to_config(loss_weights)
        self._j.compile(_java.jclass("jkeras.trainers.CompileOptions").fromConfig(config))

    # ---------------------------------------------------------------- training

    def fit(self, *args, **kwargs):
        a = _signature_kwargs("fit", _FIT_ARGS, args, kwargs)
        unknown = {k: v for k, v in a.items() if k not in _FIT_ARGS and k != "nb_epoch"}
        if unknown:
            raise TypeError("Unrecognized keyword arguments: " + str(unknown))
        if "nb_epoch" in a:
            warnings.warn("The `nb_epoch` argument in `fit` has been renamed `epochs`.", stacklevel=2)
            a["epochs"] = a.pop("nb_epoch")
        x = a.pop("x", None)
        if _is_stream(x):
            # Keras 2.3.1 hands a generator or Sequence given to fit to fit_generator.
            _check_generator_arguments(a)
            return self.fit_generator(x, **a)
        return self._array_call("fit", x, a)

    def evaluate(self, *args, **kwargs):
        a = _signature_kwargs("evaluate", _EVALUATE_ARGS, args, kwargs)
        _check_keywords("evaluate", a, _EVALUATE_ARGS)
        x = a.pop("x", None)
        if _is_stream(x):
            _check_generator_arguments(a)
            a.setdefault("verbose", 1)  # evaluate's default, passed on to evaluate_generator (whose is 0)
            return self.evaluate_generator(x, **a)
        return self._array_call("evaluate", x, a)

    def predict(self, *args, **kwargs):
        a = _signature_kwargs("predict", _PREDICT_ARGS, args, kwargs)
        _check_keywords("predict", a, _PREDICT_ARGS)
        x = a.pop("x", None)
        if _is_stream(x):
            a.pop("batch_size", None)
            return self.predict_generator(x, **a)
        return self._array_call("predict", x, a)

    def fit_generator(self, *args, **kwargs):
        a = _signature_kwargs(
            "fit_generator",
            [*_FIT_GENERATOR_ARGS, *_FIT_GENERATOR_LEGACY],
            args,
            kwargs,
        )
        return self._generator_call("fit", a.pop("generator"), a)

    def evaluate_generator(self, *args, **kwargs):
        a = _signature_kwargs(
            "evaluate_generator",
            [*_EVALUATE_GENERATOR_ARGS, "pickle_safe", "nb_worker", "max_q_size", "val_samples"],
            args,
            kwargs,
        )
        return self._generator_call("evaluate", a.pop("generator"), a)

    def predict_generator(self, *args, **kwargs):
        a = _signature_kwargs(
            "predict_generator",
            [*_PREDICT_GENERATOR_ARGS, "pickle_safe", "nb_worker", "max_q_size", "val_samples"],
            args,
            kwargs,
        )
        return self._generator_call("predict", a.pop("generator"), a)

    @_java.java_errors
    def _array_call(self, kind, x, a):
        if x is None:
            raise ValueError("If fitting from data tensors, you should specify the `steps_per_epoch` argument.")
        call = _Call(int(a.get("workers", 1)), bool(a.get("use_multiprocessing", False)))
        try:
            # x and y read in place (call_data): only the call reads them; validation_data, which callbacks
            # keep after it (validation_data), is copied
            jx = _java.call_data(x)
            if kind == "predict":
                options = _java.jclass("jkeras.trainers.PredictOptions").fromConfig(self._kwargs(a, call))
                return self._predictions(self._j.predictOutputs(jx, options))
            y = a.pop("y", None)  # held, as x is, while Java reads it
            jy = _java.call_data(y)
            if kind == "fit":
                options = _java.jclass("jkeras.trainers.FitOptions").fromConfig(self._kwargs(a, call))
                return self._fit_result(self._j.fit(jx, jy, options))
            options = _java.jclass("jkeras.trainers.EvaluateOptions").fromConfig(self._kwargs(a, call))
            return _scores(self._j.evaluate(jx, jy, options))
        finally:
            call.close()

    @_java.java_errors
    def _generator_call(self, kind, generator, a):
        workers = a.get("workers", a.get("nb_worker", 1))
        mp = a.get("use_multiprocessing", a.get("pickle_safe", False))
        call = _Call(int(workers), bool(mp))
        try:
            source = call.source(generator)
            kwargs = self._kwargs(a, call)
            if kind == "fit":
                return self._fit_result(self._j.fitGenerator([source], kwargs))
            if kind == "evaluate":
                return _scores(self._j.evaluateGenerator([source], kwargs))
            return self._predictions(self._j.predictGenerator([source], kwargs))
        finally:
            call.close()

    def _kwargs(self, a, call):
        """Keyword arguments with Java values: callbacks, validation data, sample and class weights."""
        from jkeras.shim import callbacks

        out = {}
        for k, v in a.items():
            if k == "callbacks":
                out[k] = None if v is None else [callbacks.to_java(c, self) for c in v]
            elif k == "validation_data":
                out[k] = self._validation(v, call)
            elif k == "sample_weight":
                out[k] = None if v is None else _java.to_array(v)
            elif k == "class_weight":
                out[k] = None if v is None else {int(c): float(w) for c, w in dict(v).items()}
            elif k == "validation_freq" and isinstance(v, (list, tuple)):
                out[k] = [int(e) for e in v]
            else:
                out[k] = to_config(v)
        if not _LEGACY_NAMES.intersection(a):
            # gives jkeras' warnings raised on worker threads at each batch end, while the call runs; not with
            # Keras 1 names, whose warning shows the call's keywords as the script gave them
            out["callbacks"] = [*(out.get("callbacks") or ()), _java.support().warningsCallback()]
        return out

    def _validation(self, v, call):
        if v is None:
            return None
        if _is_stream(v):
            return call.source(v)
        if isinstance(v, (list, tuple)):
            if len(v) not in (2, 3):
                raise ValueError(
                    "When passing validation_data, it must contain 2 (x_val, y_val) or 3 (x_val, y_val, "
                    "val_sample_weights) items, however it contains %d items" % len(v)
                )
            parts = [_java.to_data(v[0]), _java.to_data(v[1])]
            if len(v) == 3:
                parts.append(None if v[2] is None else _java.to_array(v[2]))
            return parts
        raise ValueError(
            "`validation_data` should be a tuple `(val_x, val_y, val_sample_weight)` or `(val_x, val_y)`. "
            "Found: %r" % (v,)
        )

    def _fit_result(self, jhistory):
        self._history = History(jhistory, self)
        return self._history

    def _predictions(self, jlist):
        out = _java.to_numpy_list(jlist)
        return out[0] if len(out) == 1 else out

    # The thread whose model.train_on_batch(x, y) and test_on_batch(x, y) run in C, with the native handle of its
    # _java.OnBatch: (thread id, handle), set by _steps; None without the native fast path.
    _native_binding = None

    def train_on_batch(self, x, y, sample_weight=None, class_weight=None, reset_metrics=True):
        if sample_weight is None and class_weight is None and reset_metrics:
            # A script's own training loop. Every Python operation here costs each step (more than a tight loop
            # shows: the step between two calls leaves the caches cold); with the native fast path, this method
            # is wrapped in C (below) and the common call does not reach it at all.
            steps = self._on_batch.get(_thread_id())
            if steps is not None and steps._native is not None:
                scores = _native_train(steps._native, x, y)
                if scores is not None:
                    return scores if type(scores) is not int else self._native_finish(scores)
        return self._train_on_batch(x, y, sample_weight, class_weight, reset_metrics)

    @_java.java_errors
    def _native_finish(self, n):
        """The native fast path's int result: a Java failure, raised here as Keras' ValueError where it is one,
        or a count of scores its buffer did not hold."""
        return self._steps()._native_result(n)

    @_java.java_errors
    def _train_on_batch(self, x, y, sample_weight, class_weight, reset_metrics):
        if sample_weight is None and class_weight is None and reset_metrics:
            # the batch read in place or copied into reused Java arrays, one call without array arguments
            scores = self._steps().train(x, y)
            if scores is not None:
                return scores
        if not reset_metrics:
            raise not_supported("train_on_batch(reset_metrics=False)")
        if sample_weight is None and class_weight is None:
            return _scores_of(_java.support().trainOnBatch(self._j, _java.batch_data(x), _java.batch_data(y)))
        sw = None if sample_weight is None else _java.to_array(sample_weight)
        cw = None if class_weight is None else {int(c): float(w) for c, w in dict(class_weight).items()}
        return _scores(self._j.trainOnBatch(_java.to_data(x), _java.to_data(y), sw, cw))

    @_java.java_errors
    def test_on_batch(self, x, y, sample_weight=None, reset_metrics=True):
        if sample_weight is None and reset_metrics:
            scores = self._steps().test(x, y)
            if scores is not None:
                return scores
        if not reset_metrics:
            raise not_supported("test_on_batch(reset_metrics=False)")
        if sample_weight is None:
            return _scores_of(_java.support().testOnBatch(self._j, _java.batch_data(x), _java.batch_data(y)))
        jx, jy = _java.to_data(x), _java.to_data(y)
        return _scores(self._j.testOnBatch(jx, jy, _java.to_array(sample_weight)))

    if _java._onbatch is not None:
        train_on_batch = _java._onbatch.method(train_on_batch, True)
        test_on_batch = _java._onbatch.method(test_on_batch, False)

    @_java.java_errors
    def predict_on_batch(self, x):
        out = self._steps().predict(x)
        if out is not None:
            return out
        out = [np.asarray(a) for a in _java.support().predictOnBatch(self._j, _java.batch_data(x))]
        return out[0] if len(out) == 1 else out

    def reset_metrics(self):
        pass  # jkeras resets the metrics at the start of each call, as Keras' default reset_metrics=True does

    def __repr__(self):
        return "<keras.%s name=%s>" % (type(self).__name__, self.name)


class Sequential(Model):
    """``keras.models.Sequential(layers=None, name=None)``: ``add``, ``pop`` and every ``Model`` method."""

    @_java.java_errors
    def __init__(self, layers=None, name=None):
        cls = _java.jclass("jkeras.models.Sequential")
        self._j = cls(name) if name is not None else cls()
        self._register()
        for layer in layers or ():
            self.add(layer)

    @_java.java_errors
    def add(self, layer):
        if isinstance(layer, layers.KerasTensor):
            # tf.keras' `Sequential([keras.Input(shape=...), ...])`: the input shape of the first layer
            if getattr(self, "_input_shape", None) is not None or len(self._j.layers()) > 0:
                raise ValueError("An Input can only be the first entry of a Sequential model.")
            self._input_shape = layer.shape[1:]
            return
        if not isinstance(layer, (layers.Layer, Model)):
            raise TypeError("The added layer must be an instance of class Layer. Found: " + str(layer))
        shape = getattr(self, "_input_shape", None)
        if shape is not None and len(self._j.layers()) == 0 and isinstance(layer, layers.Layer):
            layer._with_input_shape(shape)
        self._j.add(layer._j)
        if getattr(layer, "_initial_weights", None) is not None and layer.built:
            layer.set_weights(layer._initial_weights)
            layer._initial_weights = None

    @_java.java_errors
    def pop(self):
        self._j.pop()

    @_java.java_errors
    def build(self, input_shape=None):
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        self._j.build([-1 if d is None else int(d) for d in input_shape])


def wrap_model(j):
    """The Python object of a Java model (loaded from a file, or reached through ``model.layers``)."""
    w = layers._wrappers.get(layers._key(j))
    if w is not None:
        return w
    cls = Sequential if type(j).__name__ == "Sequential" else Model
    m = cls.__new__(cls)
    m._j = j
    m._register()
    return m


def _path(filepath):
    if hasattr(filepath, "write"):
        raise not_supported("saving to or loading from a file object (h5py.File, io.BytesIO)")
    return _java.jclass("java.nio.file.Path").of(os.path.abspath(os.fspath(filepath)), [])


def _check_overwrite(filepath, overwrite):
    if not overwrite and os.path.isfile(os.fspath(filepath)):
        raise not_supported("save(overwrite=False) (Keras asks on the terminal whether to overwrite)")


@_java.java_errors
def load_model(filepath, custom_objects=None, compile=True):
    if custom_objects:
        raise not_supported("load_model(custom_objects=...) with Python objects")
    j = _java.jclass("jkeras.models.Models").loadModel(_path(filepath), {}, bool(compile))
    return wrap_model(j)


def save_model(model, filepath, overwrite=True, include_optimizer=True):
    model.save(filepath, overwrite=overwrite, include_optimizer=include_optimizer)


@_java.java_errors
def model_from_json(json_string, custom_objects=None):
    if custom_objects:
        raise not_supported("model_from_json(custom_objects=...) with Python objects")
    return wrap_model(_java.jclass("jkeras.models.Models").modelFromJson(json_string))


@_java.java_errors
def model_from_config(config, custom_objects=None):
    if custom_objects:
        raise not_supported("model_from_config(custom_objects=...) with Python objects")
    return wrap_model(_java.jclass("jkeras.models.Models").modelFromConfig(to_config(config)))


def clone_model(model, input_tensors=None, clone_function=None):
    raise not_supported("keras.models.clone_model")


__getattr__ = module_getattr("keras.models")
