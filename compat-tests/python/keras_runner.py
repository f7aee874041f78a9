"""Runs the compat scenarios in real Keras (tf-keras 2.18) and records what a user observes.

For every scenario: seed numpy and TensorFlow, generate the data with numpy, build the model with
tf-keras, record its initial weights, run the scenario's actions (train_on_batch, fit, evaluate,
predict, metrics_names) and write everything to one JSON file: the fixture (data and initial
weights, so the Java side starts from exactly the same numbers) and the observations.

Scenarios are written in Keras 2.3.1 terms, the semantics jkeras follows. Where tf-keras 2.18
differs, this runner translates to the tf-keras configuration that runs the same math (see
`tf_keras_optimizer` and README.md): the Java side never sees these translations.

Usage: keras_runner.py --scenarios DIR_OR_FILE... --out FILE [--only NAME...]
"""

import argparse
import contextlib
import glob
import importlib
import io
import json
import math
import os
import sys
import time

# Before TensorFlow is imported: CPU only, quiet, no oneDNN graph rewrites (they change the
# float32 rounding of matmuls compared to the plain kernels TF Java runs).
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_DETERMINISTIC_OPS", "1")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()

import tf_keras as keras  # noqa: E402
from tf_keras.src.utils import generic_utils as tfk_generic_utils  # noqa: E402

keras.backend.set_floatx("float32")

# Keras 2.3.1 optimizer defaults (keras/optimizers.py at tag 2.3.1; epsilon is K.epsilon()).
# tf-keras 2.18 changed several of them, so string optimizers are expanded to these values.
KERAS231_OPTIMIZER_DEFAULTS = {
    "SGD": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "RMSprop": {"learning_rate": 0.001, "rho": 0.9, "epsilon": 1e-7},
    "Adagrad": {"learning_rate": 0.01, "epsilon": 1e-7},
    "Adadelta": {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-7},
    "Adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
             "amsgrad": False},
    "Adamax": {"learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "Nadam": {"learning_rate": 0.002, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
              "schedule_decay": 0.004},
}
OPTIMIZER_ALIASES = {k.lower(): k for k in KERAS231_OPTIMIZER_DEFAULTS}

# Keras 2.3.1 loss/metric identifiers that tf-keras spells differently.
LOSS_ALIASES = {
    "huber_loss": "huber",  # Keras 2.3.1 has only the function huber_loss (no 'huber' string)
    "cosine_proximity": "cosine_similarity",
    "cosine": "cosine_similarity",
}


def tf_keras_optimizer(spec):
    """Returns (optimizer, description) running Keras 2.3.1's math for a Keras 2.3.1 spec.

    tf-keras' legacy (OptimizerV2) optimizers compute Keras 2.3.1's formulas: fused kernels
    (ResourceApplyKerasMomentum, ResourceApplyAdagradV2, ResourceApplyAdadelta,
    ResourceApplyAdam[WithAmsgrad], ResourceApplyAdaMax), RMSprop without momentum as
    g / (sqrt(a) + eps) in plain ops, and Nadam with the 0.004 momentum schedule. The new tf-keras
    optimizers differ: RMSprop and Adagrad put epsilon inside the square root, Nadam drops
    schedule_decay (0.96**t instead of 0.96**(0.004 t)), and all are XLA-compiled by default.
    """
    if isinstance(spec, str):
        class_name, config = OPTIMIZER_ALIASES[spec.lower()], {}
    else:
        class_name, config = spec["class_name"], dict(spec.get("config", {}))
    unknown = set(config) - set(KERAS231_OPTIMIZER_DEFAULTS[class_name]) - {"decay"}
    if unknown:
        raise ValueError("unknown %s config keys %s" % (class_name, sorted(unknown)))
    full = dict(KERAS231_OPTIMIZER_DEFAULTS[class_name])
    full.update(config)
    legacy = keras.optimizers.legacy
    if class_name == "SGD":
        opt = legacy.SGD(**full)
    elif class_name == "RMSprop":
        opt = legacy.RMSprop(momentum=0.0, centered=False, **full)
    elif class_name == "Adagrad":
        # Keras 2.3.1 starts the accumulators at zero (tf-keras default 0.1).
        opt = legacy.Adagrad(initial_accumulator_value=0.0, **full)
        full["initial_accumulator_value"] = 0.0
    elif class_name == "Adadelta":
        opt = legacy.Adadelta(**full)
    elif class_name == "Adam":
        opt = legacy.Adam(**full)
    elif class_name == "Adamax":
        opt = legacy.Adamax(**full)
    elif class_name == "Nadam":
        opt = legacy.Nadam(**full)
    else:
        raise ValueError("no tf-keras mapping for optimizer " + class_name)
    return opt, {"class_name": "tf_keras.optimizers.legacy." + class_name, "config": full}


def tf_keras_loss(loss):
    if isinstance(loss, str):
        return LOSS_ALIASES.get(loss, loss)
    if isinstance(loss, list):
        return [tf_keras_loss(v) for v in loss]
    if isinstance(loss, dict):
        return {k: tf_keras_loss(v) for k, v in loss.items()}
    raise ValueError("unsupported loss spec %r" % (loss,))


# ---------------------------------------------------------------------------------------------
# Data


def gen_array(rng, n, spec):
    """Generates n samples of one array from a data spec {kind, shape, classes}."""
    kind = spec["kind"]
    shape = [n] + list(spec.get("shape", []))
    if kind in ("normal", "regression"):
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "positive":  # strictly positive targets for poisson / msle / mape
        return rng.uniform(0.5, 2.0, shape).astype(np.float32)
    if kind == "binary":
        return rng.integers(0, 2, shape).astype(np.float32)
    if kind == "sign":  # -1/+1 labels for the hinge losses
        return (2 * rng.integers(0, 2, shape) - 1).astype(np.float32)
    if kind == "onehot":
        k = shape[-1]
        labels = rng.integers(0, k, shape[:-1])
        return np.eye(k, dtype=np.float32)[labels]
    if kind == "sparse":  # integer class ids in [0, classes)
        return rng.integers(0, spec["classes"], shape).astype(np.int32)
    if kind == "probabilities":  # rows summing to 1 (kld)
        p = rng.uniform(0.1, 1.0, shape)
        return (p / p.sum(axis=-1, keepdims=True)).astype(np.float32)
    raise ValueError("unknown data kind " + kind)


def gen_side(rng, n, side):
    """side: one spec, or {name: spec} for named inputs/outputs. Returns {name|None: array}."""
    if "kind" in side:
        return {None: gen_array(rng, n, side)}
    return {name: gen_array(rng, n, s) for name, s in side.items()}


def as_keras(arrays):
    return arrays[None] if None in arrays else dict(arrays)


def encode_arrays(arrays):
    return [{"name": k, "dtype": str(a.dtype), "shape": list(a.shape),
             "data": a.reshape(-1).tolist()} for k, a in arrays.items()]


def encode_value(v):
    """train_on_batch/evaluate return a scalar or a list; keep that shape."""
    if isinstance(v, (list, tuple)):
        return [float(x) for x in v]
    return float(v)


def keras231_history_order(keys):
    """History key order of Keras 2.3.1 for the tf-keras keys.

    Keras 2.3.1's fit loop writes the `val_*` entries into the epoch logs first and BaseLogger adds
    the training entries afterwards (keras/engine/training_arrays.py fit_loop,
    keras/callbacks/callbacks.py BaseLogger.on_epoch_end), so History lists val_loss, val_<metric>,
    ..., loss, <metric>, ...; tf-keras lists the training entries first.
    """
    val = [k for k in keys if k.startswith("val_")]
    return val + [k for k in keys if not k.startswith("val_")]


def batch_rows(arrays, step, batch, n):
    start = (step * batch) % n
    return {k: a[start:start + batch] for k, a in arrays.items()}


# ---------------------------------------------------------------------------------------------
# fit_generator: a Sequence over the scenario's arrays, a recording callback, a frozen clock

# The Progbar clock while a fit_generator action prints its progress (any value but 0: tf-keras'
# verbose=2 line tests `if self._time_at_epoch_end`, so a clock frozen at 0 drops its ending).
FROZEN_CLOCK = 1000.0

# Hooks the recording callback counts (Keras 2.3.1 names; on_batch_* are reached through the
# default on_train_batch_* of keras.callbacks.Callback, on both sides).
RECORDED_HOOKS = [
    "on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end",
    "on_train_batch_begin", "on_train_batch_end", "on_batch_begin", "on_batch_end",
    "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end",
    "on_predict_begin", "on_predict_end", "on_predict_batch_begin", "on_predict_batch_end",
]


class ArraySequence(keras.utils.Sequence):
    """Batches [i*b, (i+1)*b) of the arrays, in order; the last one may be smaller."""

    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size
        self.n = next(iter(x.values())).shape[0]

    def __len__(self):
        return int(math.ceil(self.n / self.batch_size))

    def __getitem__(self, i):
        s = slice(i * self.batch_size, min(self.n, (i + 1) * self.batch_size))
        return (as_keras({k: a[s] for k, a in self.x.items()}),
                as_keras({k: a[s] for k, a in self.y.items()}))


class Recorder(keras.callbacks.Callback):
    """Records every hook call as "hook index" (index: epoch or batch, omitted for begin/end)."""

    def __init__(self):
        super().__init__()
        self.events = []


def _recording(hook, indexed, forward=None):
    def method(self, *args, **kwargs):
        self.events.append(hook + (" %d" % args[0] if indexed else ""))
        if forward is not None:  # keep Callback's forwarding on_train_batch_* -> on_batch_*
            getattr(keras.callbacks.Callback, hook)(self, *args, **kwargs)
    return method


for _hook in RECORDED_HOOKS:
    _indexed = "batch" in _hook or "epoch" in _hook
    setattr(Recorder, _hook, _recording(_hook, _indexed, forward=_hook.startswith("on_train_batch")))


@contextlib.contextmanager
def frozen_progbar_clock(seconds):
    """tf-keras' Progbar reads time.time() through its module; freeze it there only."""
    real = tfk_generic_utils.time

    class _Frozen:
        @staticmethod
        def time():
            return seconds

    tfk_generic_utils.time = _Frozen
    try:
        yield
    finally:
        tfk_generic_utils.time = real


def run_fit_generator(model, action, x, y, val_x, val_y):
    """model.fit on a keras.utils.Sequence (tf-keras' fit_generator), see README.md.

    tf-keras 2.18 rejects workers=0 ("Expected workers to be positive"); workers=1 without
    multiprocessing is its enqueuer-free path (tf.data pulls the Sequence in order), the
    counterpart of Keras 2.3.1's workers=0.
    """
    kw = dict(action.get("kwargs", {}))
    seq = ArraySequence(x, y, int(action["batch_size"]))
    fkw = {"epochs": int(kw.get("epochs", 1)), "verbose": int(kw.get("verbose", 0)),
           "shuffle": False, "workers": 1, "use_multiprocessing": False}
    if action.get("validation_batch_size"):
        fkw["validation_data"] = ArraySequence(val_x, val_y, int(action["validation_batch_size"]))
        if "validation_steps" in kw:
            fkw["validation_steps"] = int(kw["validation_steps"])
    recorder = Recorder()
    fkw["callbacks"] = [recorder]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), frozen_progbar_clock(FROZEN_CLOCK):
        hist = model.fit(seq, **fkw)
    counts = {h: sum(1 for e in recorder.events if e.split(" ")[0] == h) for h in RECORDED_HOOKS}
    return {
        "type": "fit_generator",
        "kwargs": action.get("kwargs", {}),
        "steps_per_epoch": len(seq),
        "history_keys": keras231_history_order(list(hist.history.keys())),
        "history_keys_tf_keras": list(hist.history.keys()),
        "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
        "epoch": [int(e) for e in hist.epoch],
        "callback_counts": counts,
        "callback_events": recorder.events,
        "progress": out.getvalue(),
    }


# ---------------------------------------------------------------------------------------------
# Python data sources (compat_sources.py): the same generators and Sequences jkeras runs through
# its Jep bridge


def import_compat_sources():
    """Imports compat_sources with `keras` and `keras.utils` resolving to tf_keras.

    The module says `from keras.utils import Sequence` (Keras 2 style). In this venv `keras` is
    Keras 3 (TensorFlow imports it), whose Sequence tf-keras' fit does not recognise; so while the
    module is imported, `keras` and `keras.utils` are tf_keras', and then restored.
    """
    names = ("keras", "keras.utils")
    saved = {k: sys.modules.get(k) for k in names}
    sys.modules["keras"], sys.modules["keras.utils"] = keras, keras.utils
    try:
        module = importlib.import_module("compat_sources")
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v
    if module.Sequence is not keras.utils.Sequence:
        raise RuntimeError("compat_sources.Sequence is not tf_keras.utils.Sequence; was it "
                           "imported before import_compat_sources()?")
    return module


_compat_sources = None


def compat_sources():
    global _compat_sources
    if _compat_sources is None:
        _compat_sources = import_compat_sources()
    return _compat_sources


def resolve_placeholders(value, work_dir):
    """Replaces "{work}" in strings (recursively) by the runner's work directory."""
    if isinstance(value, str):
        return value.replace("{work}", work_dir)
    if isinstance(value, list):
        return [resolve_placeholders(v, work_dir) for v in value]
    if isinstance(value, dict):
        return {k: resolve_placeholders(v, work_dir) for k, v in value.items()}
    return value


def python_source(spec, work_dir):
    """A fresh object from a source spec {kind, attribute, args, kwargs} of compat_sources."""
    fn = getattr(compat_sources(), spec["attribute"])
    args = resolve_placeholders(spec.get("args", []), work_dir)
    kwargs = resolve_placeholders(spec.get("kwargs", {}), work_dir)
    obj = fn(*args, **kwargs)
    kind = spec.get("kind", "generator")
    if (kind == "sequence") != isinstance(obj, keras.utils.Sequence):
        raise ValueError("source %s is not a %s" % (spec["attribute"], kind))
    return obj


class LogRecorder(Recorder):
    """Recorder that also keeps the batch logs: one list per epoch (train) and per evaluation (test).

    tf-keras' batch logs hold running means over the epoch (loss and metrics) and no batch/size.
    """

    def __init__(self):
        super().__init__()
        self.train_logs, self.test_logs = [], []

    def on_epoch_begin(self, epoch, logs=None):
        self.train_logs.append([])
        Recorder.on_epoch_begin(self, epoch, logs)

    def on_train_batch_end(self, batch, logs=None):
        self.train_logs[-1].append({k: float(v) for k, v in (logs or {}).items()})
        Recorder.on_train_batch_end(self, batch, logs)

    def on_test_begin(self, logs=None):
        self.test_logs.append([])
        Recorder.on_test_begin(self, logs)

    def on_test_batch_end(self, batch, logs=None):
        self.test_logs[-1].append({k: float(v) for k, v in (logs or {}).items()})
        Recorder.on_test_batch_end(self, batch, logs)


def callback_observations(recorder):
    return {
        "callback_counts": {h: sum(1 for e in recorder.events if e.split(" ")[0] == h)
                            for h in RECORDED_HOOKS},
        "callback_events": recorder.events,
        "batch_logs": {"train": recorder.train_logs, "test": recorder.test_logs},
    }


def run_fit_python(model, action, work_dir):
    """model.fit on a compat_sources generator or Sequence (tf-keras' fit_generator).

    workers=1 without multiprocessing (see run_fit_generator); no shuffle (a Sequence shuffles
    itself in on_epoch_end when asked).
    """
    kw = dict(action.get("kwargs", {}))
    source = python_source(action["source"], work_dir)
    fkw = {"epochs": int(kw.get("epochs", 1)), "verbose": 0, "shuffle": False, "workers": 1,
           "use_multiprocessing": False}
    if "steps_per_epoch" in kw:
        fkw["steps_per_epoch"] = int(kw["steps_per_epoch"])
    if "validation_source" in action:
        fkw["validation_data"] = python_source(action["validation_source"], work_dir)
        if "validation_steps" in kw:
            fkw["validation_steps"] = int(kw["validation_steps"])
    recorder = LogRecorder()
    fkw["callbacks"] = [recorder]
    hist = model.fit(source, **fkw)
    steps = fkw.get("steps_per_epoch", len(source) if isinstance(source, keras.utils.Sequence) else None)
    out = {
        "type": "fit_python",
        "kwargs": action.get("kwargs", {}),
        "steps_per_epoch": steps,
        "history_keys": keras231_history_order(list(hist.history.keys())),
        "history_keys_tf_keras": list(hist.history.keys()),
        "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
        "epoch": [int(e) for e in hist.epoch],
    }
    out.update(callback_observations(recorder))
    return out


def run_evaluate_python(model, action, work_dir):
    source = python_source(action["source"], work_dir)
    ekw = {"verbose": 0, "workers": 1, "use_multiprocessing": False}
    if "steps" in action:
        ekw["steps"] = int(action["steps"])
    recorder = LogRecorder()
    value = model.evaluate(source, callbacks=[recorder], **ekw)
    return {"type": "evaluate_python", "value": encode_value(value),
            "batch_logs": {"test": recorder.test_logs}}


def run_predict_python(model, action, work_dir):
    source = python_source(action["source"], work_dir)
    pkw = {"verbose": 0, "workers": 1, "use_multiprocessing": False}
    if "steps" in action:
        pkw["steps"] = int(action["steps"])
    out = model.predict(source, **pkw)
    outs = out if isinstance(out, list) else [out]
    return {"type": "predict_python",
            "outputs": [{"shape": list(o.shape), "data": o.reshape(-1).astype(np.float32).tolist()}
                        for o in outs]}


# ---------------------------------------------------------------------------------------------
# Models


def resolve_names(model_spec):
    """Gives every sequential layer an explicit name so both sides can match weights by layer."""
    if model_spec["type"] == "sequential":
        counts = {}
        for layer in model_spec["layers"]:
            cfg = layer.setdefault("config", {})
            if "name" not in cfg:
                base = layer["class_name"].lower()
                counts[base] = counts.get(base, 0) + 1
                cfg["name"] = "%s_%d" % (base, counts[base])
    return model_spec


def build_layer(spec):
    cfg = dict(spec.get("config", {}))
    cls = getattr(keras.layers, spec["class_name"])
    return cls(**cfg)


def build_model(model_spec):
    if model_spec["type"] == "sequential":
        return keras.Sequential([build_layer(l) for l in model_spec["layers"]])
    if model_spec["type"] == "functional":
        tensors = {}
        inputs = []
        for inp in model_spec["inputs"]:
            t = keras.Input(shape=tuple(inp["shape"]), name=inp["name"])
            tensors[inp["name"]] = t
            inputs.append(t)
        for node in model_spec["nodes"]:
            layer = build_layer(node["layer"])
            inbound = [tensors[n] for n in node["inbound"]]
            tensors[node["name"]] = layer(inbound[0] if len(inbound) == 1 else inbound)
        outputs = [tensors[o] for o in model_spec["outputs"]]
        return keras.Model(inputs, outputs, name=model_spec.get("name", "model"))
    raise ValueError("unknown model type " + model_spec["type"])


def layer_weights(model):
    return [{"layer": layer.name,
             "weights": [{"shape": list(w.shape), "data": w.reshape(-1).astype(np.float32).tolist()}
                         for w in layer.get_weights()]}
            for layer in model.layers if layer.get_weights()]


# ---------------------------------------------------------------------------------------------
# Scenarios


def run_scenario(sc, work_dir):
    seed = int(sc.get("seed", 0))
    keras.backend.clear_session()
    keras.utils.set_random_seed(seed)  # python, numpy and tf seeds: the initial weights
    rng = np.random.default_rng(seed)  # the data

    # Scenarios fed only by compat_sources have no arrays
    data = sc.get("data", {"n": 0, "x": {}, "y": {}})
    n = int(data["n"])
    x = gen_side(rng, n, data["x"])
    y = gen_side(rng, n, data["y"])
    fixture = {"x": encode_arrays(x), "y": encode_arrays(y), "work_dir": work_dir}
    # Data files the compat_sources generators read: written before the model exists
    for f in sc.get("python_files", []):
        getattr(compat_sources(), f["writer"])(resolve_placeholders(f["path"], work_dir),
                                               *f.get("args", []))
    val_x = val_y = None
    if "val_n" in data:
        vn = int(data["val_n"])
        val_x = gen_side(rng, vn, data["x"])
        val_y = gen_side(rng, vn, data["y"])
        fixture["val_x"] = encode_arrays(val_x)
        fixture["val_y"] = encode_arrays(val_y)

    model = build_model(resolve_names(sc["model"]))
    fixture["weights"] = layer_weights(model)

    compile_spec = sc["compile"]
    opt, opt_used = tf_keras_optimizer(compile_spec["optimizer"])
    kwargs = {"optimizer": opt, "loss": tf_keras_loss(compile_spec["loss"])}
    if "metrics" in compile_spec:
        kwargs["metrics"] = compile_spec["metrics"]
    if "loss_weights" in compile_spec:
        kwargs["loss_weights"] = compile_spec["loss_weights"]
    model.compile(**kwargs)

    observations = []
    for action in sc["actions"]:
        kind = action["type"]
        if kind == "train_on_batch":
            steps = int(action.get("steps", 20))
            batch = int(action.get("batch", n))
            values = []
            for step in range(steps):
                bx = batch_rows(x, step, batch, n)
                by = batch_rows(y, step, batch, n)
                values.append(encode_value(model.train_on_batch(as_keras(bx), as_keras(by))))
            observations.append({"type": kind, "steps": steps, "batch": batch, "values": values})
        elif kind == "fit":
            fkw = dict(action.get("kwargs", {}))
            use_val_data = fkw.pop("validation_data", False)
            fkw.setdefault("shuffle", False)
            fkw["verbose"] = 0
            if use_val_data:
                fkw["validation_data"] = (as_keras(val_x), as_keras(val_y))
            hist = model.fit(as_keras(x), as_keras(y), **fkw)
            observations.append({
                "type": kind,
                "kwargs": action.get("kwargs", {}),
                "history_keys": keras231_history_order(list(hist.history.keys())),
                "history_keys_tf_keras": list(hist.history.keys()),
                "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
                "epoch": [int(e) for e in hist.epoch],
            })
        elif kind == "fit_generator":
            observations.append(run_fit_generator(model, action, x, y, val_x, val_y))
        elif kind == "fit_python":
            observations.append(run_fit_python(model, action, work_dir))
        elif kind == "evaluate_python":
            observations.append(run_evaluate_python(model, action, work_dir))
        elif kind == "predict_python":
            observations.append(run_predict_python(model, action, work_dir))
        elif kind == "evaluate":
            ekw = dict(action.get("kwargs", {}))
            on = action.get("on", "train")
            ex, ey = (x, y) if on == "train" else (val_x, val_y)
            value = model.evaluate(as_keras(ex), as_keras(ey), verbose=0, **ekw)
            observations.append({"type": kind, "on": on, "kwargs": action.get("kwargs", {}),
                                 "value": encode_value(value)})
        elif kind == "predict":
            pkw = dict(action.get("kwargs", {}))
            on = action.get("on", "train")
            px = x if on == "train" else val_x
            out = model.predict(as_keras(px), verbose=0, **pkw)
            outs = out if isinstance(out, list) else [out]
            observations.append({
                "type": kind, "on": on, "kwargs": action.get("kwargs", {}),
                "outputs": [{"shape": list(o.shape), "data": o.reshape(-1).astype(np.float32).tolist()}
                            for o in outs]})
        elif kind == "metrics_names":
            observations.append({"type": kind, "value": list(model.metrics_names)})
        else:
            raise ValueError("unknown action " + kind)

    return {
        "name": sc["name"],
        "spec": sc,
        "tf_keras": {"optimizer": opt_used, "loss": tf_keras_loss(compile_spec["loss"]),
                     "output_names": list(model.output_names)},
        "fixture": fixture,
        "observations": observations,
    }


def load_scenarios(paths):
    files = []
    for p in paths:
        files.extend(sorted(glob.glob(os.path.join(p, "*.json"))) if os.path.isdir(p) else [p])
    scenarios = []
    for f in files:
        with open(f) as fh:
            content = json.load(fh)
        items = content if isinstance(content, list) else content.get("scenarios", [content])
        for sc in items:
            sc["source"] = os.path.basename(f)
            scenarios.append(sc)
    names = [s["name"] for s in scenarios]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SystemExit("duplicate scenario names: %s" % dupes)
    return scenarios


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", nargs="+", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--only", nargs="*", default=None, help="scenario names to run")
    args = ap.parse_args(argv)

    scenarios = load_scenarios(args.scenarios)
    if args.only:
        scenarios = [s for s in scenarios if s["name"] in set(args.only)]
    work_dir = os.path.dirname(os.path.abspath(args.out))
    os.makedirs(work_dir, exist_ok=True)
    results = []
    t0 = time.time()
    for sc in scenarios:
        t = time.time()
        try:
            results.append(run_scenario(sc, work_dir))
            status = "ok"
        except Exception as e:  # recorded, so one broken scenario does not hide the others
            results.append({"name": sc["name"], "spec": sc, "error": "%s: %s" % (type(e).__name__, e)})
            status = "ERROR " + results[-1]["error"]
        print("[keras_runner] %-34s %5.2fs %s" % (sc["name"], time.time() - t, status),
              file=sys.stderr, flush=True)
    out = {
        "runner": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "tensorflow": tf.__version__,
            "tf_keras": keras.__version__,
            "seconds": round(time.time() - t0, 2),
        },
        "scenarios": results,
    }
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(out, fh)
    os.replace(tmp, args.out)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
