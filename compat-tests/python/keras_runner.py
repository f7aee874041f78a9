"""Runs the compat scenarios in a real Keras and records what a user observes.

Two references, one runner: ``--keras 231`` runs Keras 2.3.1 itself, the behaviour jkeras follows
(in .venv-keras231, made importable by keras231_patches); ``--keras tfkeras`` runs tf-keras 2.18 on
the same TensorFlow kernels (in .venv), the reference for the fixes jkeras takes from it.

For every scenario: seed, generate the data and the initial weights with numpy (the same numbers in
both environments, so jkeras and both references start alike), build the model, run the scenario's
actions and write everything to one JSON file: the fixture and the observations. Each flavour calls
its own API as a user of that version would (Keras 2.3.1: ``fit_generator`` with ``workers=0``;
tf-keras: ``fit`` with ``workers=1``, its enqueuer-free path); what is compared, and against which
reference, is decided on the Java side (see compat-tests/README.md).

Usage: keras_runner.py --keras 231|tfkeras --scenarios DIR_OR_FILE... --out FILE [--only NAME...]
"""

import argparse
import contextlib
import glob
import importlib
import io
import json
import math
import multiprocessing.pool
import os
import random
import sys
import threading
import time
import warnings


def _flavour():
    ap = argparse.ArgumentParser(add_help=False)
    ap.add_argument("--keras", choices=("231", "tfkeras"), default="tfkeras")
    return ap.parse_known_args()[0].keras


FLAVOUR = _flavour()
K231 = FLAVOUR == "231"

# Before TensorFlow is imported: CPU only, quiet, no oneDNN graph rewrites (they change the
# float32 rounding of matmuls compared to the plain kernels TF Java runs).
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "-1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_DETERMINISTIC_OPS", "1")

if K231:
    # First: it sets the environment TensorFlow reads at import (see the module).
    import keras231_patches

import numpy as np
import tensorflow as tf

tf.config.threading.set_intra_op_parallelism_threads(1)
tf.config.threading.set_inter_op_parallelism_threads(1)
tf.config.experimental.enable_op_determinism()

if K231:
    with contextlib.redirect_stderr(io.StringIO()):  # "Using TensorFlow backend."
        import keras
    keras231_patches.after_import(keras)
    from keras.utils import generic_utils as progbar_module
else:
    import tf_keras as keras
    from tf_keras.src.utils import generic_utils as progbar_module

keras.backend.set_floatx("float32")

OPTIMIZER_CLASSES = {k.lower(): k for k in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam")}

# Keras 2.3.1 loss identifiers that tf-keras spells differently (spelling only: same functions).
TF_KERAS_LOSS_NAMES = {
    "huber_loss": "huber",
    "cosine_proximity": "cosine_similarity",
    "cosine": "cosine_similarity",
}


def make_optimizer(spec):
    """Returns (optimizer, description) for a Keras 2.3.1 optimizer spec (a string or a config).

    Keras 2.3.1 deserializes the spec itself, with its own defaults. tf-keras runs its legacy
    (OptimizerV2) classes, the ones computing Keras 2.3.1's update formulas (fused kernels; RMSprop
    as g / (sqrt(a) + eps); Nadam with the 0.004 momentum schedule), with tf-keras' own defaults:
    string optimizers and unset keys are what a tf-keras user gets, not Keras 2.3.1's values.
    """
    if K231:
        opt = keras.optimizers.get(spec)
    elif isinstance(spec, str):
        opt = getattr(keras.optimizers.legacy, OPTIMIZER_CLASSES[spec.lower()])()
    else:
        config = dict(spec.get("config", {}))
        if spec["class_name"] == "Nadam" and config.pop("schedule_decay", 0.004) != 0.004:
            raise ValueError("tf-keras' legacy Nadam has a fixed schedule_decay of 0.004")
        opt = getattr(keras.optimizers.legacy, spec["class_name"])(**config)
    return opt, {"class_name": type(opt).__name__, "config": json_safe(opt.get_config())}


def make_loss(loss):
    """A loss identifier as each Keras takes it; a ``{class_name, config}`` spec becomes the loss
    object (``compile`` would read a dict as one loss per output)."""
    if isinstance(loss, dict) and "class_name" in loss:
        return keras.losses.get(loss)
    if K231:
        return loss
    if isinstance(loss, str):
        return TF_KERAS_LOSS_NAMES.get(loss, loss)
    if isinstance(loss, list):
        return [make_loss(v) for v in loss]
    if isinstance(loss, dict):
        return {k: make_loss(v) for k, v in loss.items()}
    raise ValueError(f"unsupported loss spec {loss!r}")


def json_safe(value):
    """Config values as JSON: numpy scalars as Python numbers, anything else unknown as its str."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Data and initial weights: numpy only, so both environments draw the same numbers


def gen_array(rng, n, spec):
    """Generates n samples of one array from a data spec {kind, shape, classes}."""
    kind = spec["kind"]
    shape = [n, *spec.get("shape", [])]
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
    if kind == "padded":  # sequences [n, T, ...]: normal, each ending with 0..T-1 zero steps
        x = rng.standard_normal(shape).astype(np.float32)
        lengths = rng.integers(1, shape[1] + 1, shape[0])
        for i, length in enumerate(lengths):
            x[i, length:] = 0
        return x
    if kind in ("ones", "zeros"):  # constant data (Dropout's statistics)
        return (np.ones if kind == "ones" else np.zeros)(shape, np.float32)
    raise ValueError("unknown data kind " + kind)


def scaled_rows(arrays, spec):
    """``"scale_rows": {"rows": [...], "by": f}`` multiplies those samples of every input by f
    (1e30 makes a squared error overflow float32: TerminateOnNaN's infinite loss)."""
    for a in arrays.values():
        a[spec["rows"]] *= np.float32(spec["by"])
    return arrays


def gen_side(rng, n, side):
    """side: one spec, or {name: spec} for named inputs/outputs. Returns {name|None: array}."""
    if "kind" in side:
        return {None: gen_array(rng, n, side)}
    return {name: gen_array(rng, n, s) for name, s in side.items()}


# Other weights by name: U(low, high), in ranges their layers meet in training (variances > 0).
UNIFORM_WEIGHTS = {
    "gamma": (0.5, 1.5),
    "beta": (-0.1, 0.1),
    "moving_mean": (-0.5, 0.5),
    "moving_variance": (0.5, 1.5),
    "embeddings": (-0.5, 0.5),
    "alpha": (0.0, 0.5),  # PReLU's slopes
}


def initial_weights(model, seed, kernels=None):
    """Sets every weight from a seeded numpy generator, layer by layer in model order.

    Kernels are Glorot-uniform, biases U(-0.1, 0.1): the numbers do not depend on the Keras version
    (its initializers draw from TensorFlow's random ops, which differ between graph and eager mode).
    ``kernels`` names layers whose kernel is the identity instead (``{"layer": "identity"}``).
    """
    rng = np.random.default_rng([seed, 7])
    kernels = kernels or {}
    for layer in model.layers:
        values = []
        for w in layer.weights:
            kind = w.name.split("/")[-1].split(":")[0]
            shape = tuple(int(d) for d in w.shape)
            if kind == "kernel" and (kernels or {}).get(layer.name) == "identity":
                values.append(np.eye(shape[0], shape[1], dtype=np.float32))
            elif kind in ("kernel", "depthwise_kernel", "pointwise_kernel", "recurrent_kernel"):
                receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
                limit = math.sqrt(6.0 / (receptive * (shape[-2] + shape[-1])))
                values.append(rng.uniform(-limit, limit, shape).astype(np.float32))
            elif kind == "bias":
                values.append(rng.uniform(-0.1, 0.1, shape).astype(np.float32))
            elif kind in UNIFORM_WEIGHTS:
                low, high = UNIFORM_WEIGHTS[kind]
                values.append(rng.uniform(low, high, shape).astype(np.float32))
            else:
                raise ValueError(f"no fixture rule for weight {w.name} of layer {layer.name}")
        if values:
            layer.set_weights(values)


def as_keras(arrays):
    return arrays[None] if None in arrays else dict(arrays)


def encode_arrays(arrays):
    return [
        {"name": k, "dtype": str(a.dtype), "shape": list(a.shape), "data": a.reshape(-1).tolist()}
        for k, a in arrays.items()
    ]


def encode_value(v):
    """train_on_batch/evaluate return a scalar or a list; keep that shape."""
    if isinstance(v, (list, tuple)):
        return [float(x) for x in v]
    return float(v)


def batch_rows(arrays, step, batch, n):
    start = (step * batch) % n
    return {k: a[start : start + batch] for k, a in arrays.items()}


def encode_history(hist):
    return {
        "history_keys": list(hist.history.keys()),
        "history": {k: [float(v) for v in vs] for k, vs in hist.history.items()},
        "epoch": [int(e) for e in hist.epoch],
    }


def encode_outputs(out):
    outs = out if isinstance(out, list) else [out]
    return [{"shape": list(o.shape), "data": o.reshape(-1).astype(np.float32).tolist()} for o in outs]


def raised(e):
    return {"type": type(e).__name__, "message": str(e)}


# ---------------------------------------------------------------------------------------------
# Recording: callbacks, data sources, warnings, the progress bar's clock

# The Progbar clock while an action prints its progress (any value but 0: tf-keras' verbose=2
# line tests `if self._time_at_epoch_end`, so a clock frozen at 0 drops its ending).
FROZEN_CLOCK = 1000.0

# Hooks the recording callback counts (Keras 2.3.1 names; on_batch_* are reached through the
# default on_train_batch_* of keras.callbacks.Callback, in both versions).
RECORDED_HOOKS = [
    f"on_{phase}_{moment}"
    for phase in ("train", "epoch", "train_batch", "batch", "test", "test_batch", "predict", "predict_batch")
    for moment in ("begin", "end")
]


class Recorder(keras.callbacks.Callback):
    """Records every hook call as "hook index" (index: epoch or batch, omitted for begin/end),
    into ``timeline`` (shared with the recording data sources), and the numeric batch logs: one
    list per epoch (train) and per evaluation (test). ``sleep_on_epoch_end`` holds the main thread
    at each epoch end (lets an enqueuer thread act before training goes on).

    Keras 2.3.1's batch logs hold batch, size, the batch's loss and the metrics' running means;
    tf-keras' hold running means of everything and no batch/size.
    """

    def __init__(self, timeline=None, sleep_on_epoch_end=0.0):
        super().__init__()
        self.timeline = [] if timeline is None else timeline
        self.events = []
        self.train_logs, self.test_logs = [], []
        self.sleep_on_epoch_end = sleep_on_epoch_end

    def record(self, event):
        self.events.append(event)
        self.timeline.append(event)

    def on_epoch_begin(self, epoch, logs=None):
        self.train_logs.append([])
        self.record(f"on_epoch_begin {epoch}")

    def on_epoch_end(self, epoch, logs=None):
        self.record(f"on_epoch_end {epoch}")
        if self.sleep_on_epoch_end:
            time.sleep(self.sleep_on_epoch_end)

    def on_train_batch_end(self, batch, logs=None):
        if self.train_logs:
            self.train_logs[-1].append(numeric(logs))
        self.record(f"on_train_batch_end {batch}")
        keras.callbacks.Callback.on_train_batch_end(self, batch, logs)

    def on_test_begin(self, logs=None):
        self.test_logs.append([])
        self.record("on_test_begin")

    def on_test_batch_end(self, batch, logs=None):
        if self.test_logs:
            self.test_logs[-1].append(numeric(logs))
        self.record(f"on_test_batch_end {batch}")

    def observations(self):
        return {
            "callback_events": self.events,
            "batch_logs": {"train": self.train_logs, "test": self.test_logs},
        }


def numeric(logs):
    return {k: float(v) for k, v in (logs or {}).items() if isinstance(v, (int, float, np.number))}


def _recording(hook, indexed, forward):
    def method(self, *args, **kwargs):
        self.record(hook + (f" {args[0]}" if indexed else ""))
        if forward:  # keep Callback's forwarding on_train_batch_* -> on_batch_*
            getattr(keras.callbacks.Callback, hook)(self, *args, **kwargs)

    return method


for _hook in RECORDED_HOOKS:
    if _hook not in Recorder.__dict__:
        setattr(
            Recorder, _hook, _recording(_hook, "batch" in _hook or "epoch" in _hook, _hook.startswith("on_train_batch"))
        )


class ArraySequence(keras.utils.Sequence):
    """Batches [i*b, (i+1)*b) of the arrays, in order; the last one may be smaller.

    Records "<role> get i" and "<role> on_epoch_end" into ``timeline`` when given one.
    ``batch_size`` is an attribute, as on Keras' own iterators (the Keras 1 ``samples_per_epoch``
    is divided by it).
    """

    def __init__(self, x, y, batch_size, role="train", timeline=None):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size
        self.n = next(iter(x.values())).shape[0]
        self.role, self.timeline = role, timeline

    def __len__(self):
        return math.ceil(self.n / self.batch_size)

    def __getitem__(self, i):
        if self.timeline is not None:
            self.timeline.append(f"{self.role} get {i}")
        s = slice(i * self.batch_size, min(self.n, (i + 1) * self.batch_size))
        return (as_keras({k: a[s] for k, a in self.x.items()}), as_keras({k: a[s] for k, a in self.y.items()}))

    def on_epoch_end(self):
        if self.timeline is not None:
            self.timeline.append(f"{self.role} on_epoch_end")


class ArrayGenerator:
    """An endless iterator over batches of the arrays (not a Sequence): item j has
    ``sizes[j % len(sizes)]`` rows, continuing where item j-1 stopped and wrapping around the data.
    Records "<role> next j"; sleeps ``slow_seconds`` before yielding item ``slow_index``. Items are
    ``(x, y)``, or with ``items`` ``"x_tuple"`` ``(x,)`` and ``"x"`` the bare inputs.
    """

    def __init__(self, x, y, sizes, role="train", timeline=None, slow_index=-1, slow_seconds=0.0, items="xy"):
        self.x, self.y, self.sizes, self.items = x, y, sizes, items
        self.n = next(iter(x.values())).shape[0]
        self.role, self.timeline = role, timeline
        self.slow_index, self.slow_seconds = slow_index, slow_seconds
        self.item, self.offset = 0, 0
        self.batch_size = sizes[0]

    def __iter__(self):
        return self

    def __next__(self):
        j, size = self.item, self.sizes[self.item % len(self.sizes)]
        rows = [(self.offset + r) % self.n for r in range(size)]
        self.item, self.offset = j + 1, (self.offset + size) % self.n
        if self.timeline is not None:
            self.timeline.append(f"{self.role} next {j}")
        if j == self.slow_index:
            wait_for_consumer(j)
            time.sleep(self.slow_seconds)
        x = as_keras({k: a[rows] for k, a in self.x.items()})
        if self.items == "x":  # a bare array (predict)
            return x
        if self.items == "x_tuple":  # (x,)
            return (x,)
        return x, as_keras({k: a[rows] for k, a in self.y.items()})

    next = __next__


def make_source(spec, x, y, role, timeline):
    if spec["kind"] == "sequence":
        return ArraySequence(x, y, int(spec["batch_size"]), role, timeline)
    if spec["kind"] == "generator":
        sizes = spec.get("sizes") or [int(spec["batch_size"])]
        slow = spec.get("slow", {})
        return ArrayGenerator(
            x, y, sizes, role, timeline, slow.get("index", -1), slow.get("seconds", 0.0), spec.get("items", "xy")
        )
    raise ValueError("unknown source kind " + spec["kind"])


@contextlib.contextmanager
def frozen_progbar_clock(seconds):
    """The Progbar reads time.time() through its module; freeze it there only."""
    real = progbar_module.time

    class _Frozen:
        @staticmethod
        def time():
            return seconds

    progbar_module.time = _Frozen
    try:
        yield
    finally:
        progbar_module.time = real


# While scaled_enqueuer_timeout is active: how many items the consumer has asked for. The slow
# item starts its sleep only once the consumer waits for it, so the drop does not depend on how
# long the first steps took (the enqueuer computes items ahead; on a loaded machine the consumer
# used to reach the slow item after its sleep was over, and Keras 2.3.1 then dropped nothing).
_consumer = {"gets": None, "cond": threading.Condition()}


def wait_for_consumer(item):
    """Blocks until the consumer has asked for ``item`` (0-based), when the gate is active."""
    with _consumer["cond"]:
        _consumer["cond"].wait_for(lambda: _consumer["gets"] is None or _consumer["gets"] > item, timeout=60)


@contextlib.contextmanager
def scaled_enqueuer_timeout(seconds):
    """Keras 2.3.1's enqueuers wait 30 s for an item (future.get(timeout=30)), then warn and drop a
    generator's item; this shortens that wait so a scenario shows the drop in a second."""
    real = multiprocessing.pool.ApplyResult.get

    def get(self, timeout=None):
        if timeout == 30:
            with _consumer["cond"]:
                _consumer["gets"] += 1
                _consumer["cond"].notify_all()
        return real(self, seconds if timeout == 30 else timeout)

    multiprocessing.pool.ApplyResult.get = get
    with _consumer["cond"]:
        _consumer["gets"] = 0
    try:
        yield
    finally:
        multiprocessing.pool.ApplyResult.get = real
        with _consumer["cond"]:
            _consumer["gets"] = None
            _consumer["cond"].notify_all()


@contextlib.contextmanager
def recorded_warnings(into, categories=(UserWarning,)):
    """Collects the warnings of ``categories`` Keras emits (TensorFlow's and numpy's deprecations are
    not its); callbacks also warn with RuntimeWarning."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            yield
        finally:
            into.extend(
                str(w.message) for w in caught if issubclass(w.category, categories) and "tensorflow" not in w.filename
            )


# ---------------------------------------------------------------------------------------------
# Actions on the fixture arrays


def run_fit(model, action, d, work_dir):
    """fit on the fixture arrays (shuffle=False unless the action says). With ``"batch_logs":
    true`` a recorder takes the callbacks and batch logs; Keras 2.3.1's shuffled index arrays
    (np.random.shuffle, once per epoch) are recorded as ``permutations``."""
    fkw = array_kwargs(action.get("kwargs", {}), d)
    fkw.setdefault("shuffle", False)
    verbose = int(fkw.get("verbose", 0))
    fkw["verbose"] = verbose
    recorder = Recorder()
    if action.get("batch_logs"):
        fkw["callbacks"] = [recorder]
    out = io.StringIO()
    obs = {"type": action["type"], "kwargs": action.get("kwargs", {}), "permutations": []}
    try:
        with (
            contextlib.redirect_stdout(out),
            frozen_progbar_clock(FROZEN_CLOCK),
            recorded_shuffles(obs["permutations"]),
        ):
            hist = model.fit(as_keras(d["x"]), as_keras(d["y"]), **fkw)
        obs.update(encode_history(hist))
    except Exception as e:
        if not action.get("may_raise"):
            raise
        obs["raised"] = raised(e)
    if action.get("batch_logs"):
        obs.update(recorder.observations())
    if verbose:
        obs["progress"] = out.getvalue()
    return obs


@contextlib.contextmanager
def recorded_shuffles(into):
    """Records every index array np.random.shuffle permutes (Keras 2.3.1's fit on arrays shuffles
    ``np.arange(n)`` once per epoch; tf-keras shuffles with TensorFlow, so nothing is recorded)."""
    real = np.random.shuffle

    def shuffle(a):
        real(a)
        into.append([int(i) for i in a])

    np.random.shuffle = shuffle
    try:
        yield
    finally:
        np.random.shuffle = real


def run_fit_generator(model, action, d, work_dir):
    """fit_generator on a Sequence over the fixture arrays, no shuffle, see README.md.

    Keras 2.3.1: fit_generator(workers=0), its synchronous path. tf-keras 2.18 rejects workers=0
    ("Expected workers to be positive"); its workers=1 without multiprocessing is the counterpart
    (no enqueuer: tf.data pulls the Sequence in order).
    """
    kw = dict(action.get("kwargs", {}))
    seq = ArraySequence(d["x"], d["y"], int(action["batch_size"]))
    fkw = {
        "epochs": int(kw.get("epochs", 1)),
        "verbose": int(kw.get("verbose", 0)),
        "shuffle": False,
        "workers": 0 if K231 else 1,
        "use_multiprocessing": False,
    }
    if action.get("validation_batch_size"):
        fkw["validation_data"] = ArraySequence(d["val_x"], d["val_y"], int(action["validation_batch_size"]))
        if "validation_steps" in kw:
            fkw["validation_steps"] = int(kw["validation_steps"])
    recorder = Recorder()
    fkw["callbacks"] = [recorder]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), frozen_progbar_clock(FROZEN_CLOCK):
        hist = (model.fit_generator if K231 else model.fit)(seq, **fkw)
    obs = {"type": "fit_generator", "kwargs": action.get("kwargs", {}), "steps_per_epoch": len(seq)}
    obs.update(encode_history(hist))
    obs.update(recorder.observations())
    obs["progress"] = out.getvalue()
    return obs


def call_kwargs(action, d, timeline, recorder):
    """The action's Keras kwargs, in their order, with "{validation}" and "{recorder}" replaced
    by the validation source and [recorder]; the recorder is appended when not placed."""
    kwargs = {}
    for k, v in action.get("kwargs", {}).items():
        if v == "{validation}":
            v = make_source(action["validation"], d["val_x"], d["val_y"], "val", timeline)
        elif v == "{recorder}":
            v = [recorder]
        kwargs[k] = v
    if "callbacks" not in kwargs:
        kwargs["callbacks"] = [recorder]
    if not K231:
        # tf-keras' counterpart of workers=0 (see run_fit_generator), then the action's own
        # tf-keras arguments.
        if kwargs.get("workers", 1) == 0:
            kwargs["workers"] = 1
        kwargs.update(action.get("tf_keras_kwargs", {}))
    return kwargs


def run_generator_call(model, action, d, work_dir):
    """model.fit_generator / evaluate_generator(source, **kwargs) exactly as written in the action
    (Keras 1 names included), recording the outcome or the exception, the warnings, the progress
    output, every callback and every item the sources gave (the timeline)."""
    method = action["type"][: -len("_call")]
    timeline = []
    recorder = Recorder(timeline, float(action.get("sleep_on_epoch_end", 0.0)))
    source = make_source(action["source"], d["x"], d["y"], "train", timeline)
    kwargs = call_kwargs(action, d, timeline, recorder)
    obs = {"type": action["type"], "raised": None, "warnings": []}
    out = io.StringIO()
    timeout = action.get("keras231_enqueuer_timeout")
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(frozen_progbar_clock(FROZEN_CLOCK))
        stack.enter_context(recorded_warnings(obs["warnings"]))
        if K231 and timeout:
            stack.enter_context(scaled_enqueuer_timeout(timeout))
            obs["enqueuer_timeout"] = timeout
        try:
            result = getattr(model, method)(source, **kwargs)
            if method == "fit_generator":
                obs.update(encode_history(result))
            elif method == "predict_generator":
                obs["outputs"] = encode_outputs(result)
            else:
                obs["value"] = encode_value(result)
        except Exception as e:  # what Keras raises is the observation
            obs["raised"] = raised(e)
    obs.update(recorder.observations())
    obs["timeline"] = list(timeline)
    obs["progress"] = out.getvalue()
    return obs


# ---------------------------------------------------------------------------------------------
# Keras' own callbacks (callbacks.json): fit with them, and everything they leave behind

# Learning-rate schedules by name: Python functions here, the same functions in Java (JkerasReplay).
SCHEDULES = {
    "halve": lambda epoch, lr: lr * 0.5,  # the (epoch, lr) form
    "step_decay": lambda epoch: 0.1 * 0.5 ** (epoch // 2),  # Keras' old (epoch) form
}


def callbacks_dir(work_dir, action, flavour, keep=False):
    """The action's own directory for what its callbacks write: work/callbacks/<dir>/<flavour>,
    emptied first unless ``keep`` (an action going on with the files of the one before)."""
    import shutil

    out = os.path.join(work_dir, "callbacks", action["dir"], flavour)
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out, exist_ok=True)
    return out


def make_callbacks(specs, out_dir, server_root):
    """Keras callbacks from ``{"class_name", "config"}`` specs: "{dir}" in strings is the action's
    directory, "{server}" the local HTTP server's root, a schedule a name of SCHEDULES."""
    cbs = []
    for spec in specs:
        text = json.dumps(spec.get("config", {})).replace("{dir}", out_dir).replace("{server}", server_root)
        config = json.loads(text)
        if spec["class_name"] == "LearningRateScheduler":
            config["schedule"] = SCHEDULES[config["schedule"]]
        cbs.append(getattr(keras.callbacks, spec["class_name"])(**config))
    return cbs


def run_fit_callbacks(model, action, d, work_dir):
    """fit (or, with ``"sequence"``, fit_generator over Sequences of the fixture) with the action's
    Keras callbacks; records History, what they printed and warned, the final weights, and what
    they wrote: CSV files, TensorBoard events (read by TensorBoard), posts to a local server."""
    import callback_files

    out_dir = callbacks_dir(work_dir, action, FLAVOUR, keep=action.get("keep_dir", False))
    server = callback_files.PostRecorder()
    obs = {"type": action["type"], "kwargs": action.get("kwargs", {}), "warnings": []}
    try:
        specs = action["callbacks"]
        recorder = Recorder()
        fkw = array_kwargs(action.get("kwargs", {}), d)
        fkw.setdefault("shuffle", False)
        fkw.setdefault("verbose", 0)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), recorded_warnings(obs["warnings"], (UserWarning, RuntimeWarning)):
            cbs = [*make_callbacks(specs, out_dir, server.root), recorder]
            if "sequence" in action:
                seq = ArraySequence(d["x"], d["y"], int(action["sequence"]["batch_size"]))
                gkw = {k: v for k, v in fkw.items() if k not in ("batch_size", "validation_data")}
                gkw.update(generator_kwargs())
                if "validation_batch_size" in action["sequence"]:
                    vb = int(action["sequence"]["validation_batch_size"])
                    gkw["validation_data"] = ArraySequence(d["val_x"], d["val_y"], vb)
                hist = (model.fit_generator if K231 else model.fit)(seq, callbacks=cbs, **gkw)
            else:
                hist = model.fit(as_keras(d["x"]), as_keras(d["y"]), callbacks=cbs, **fkw)
        obs.update(encode_history(hist))
        obs["printed"] = out.getvalue().replace(out_dir, "{dir}")  # checkpoint paths, side-independent
        obs["weights"] = encode_weights(model.get_weights())
        obs.update(recorder.observations())
        files = obs["files"] = {}
        for spec in specs:
            config = spec.get("config", {})
            if spec["class_name"] == "CSVLogger":
                name = config["filename"].replace("{dir}/", "")
                files["csv " + name] = callback_files.read_csv(
                    config["filename"].replace("{dir}", out_dir), config.get("separator", ",")
                )
            elif spec["class_name"] == "TensorBoard":
                files["tensorboard"] = callback_files.read_events(config["log_dir"].replace("{dir}", out_dir))
        if any(spec["class_name"] == "ModelCheckpoint" for spec in specs):
            files["checkpoints"] = read_checkpoints(model, out_dir)
        obs["posts"] = server.posts
    finally:
        server.close()
    return obs


def encode_weights(weights):
    return [{"shape": list(w.shape), "data": w.reshape(-1).tolist()} for w in weights]


def read_checkpoints(model, out_dir):
    """Every .h5 file ModelCheckpoint wrote, by name, loaded back by this Keras: a whole model with
    load_model, weights into the trained model (its final weights are recorded before)."""
    import h5py

    out = []
    for name in sorted(os.listdir(out_dir)):
        if not name.endswith(".h5"):
            continue
        path = os.path.join(out_dir, name)
        with h5py.File(path, "r") as f:
            whole = "model_config" in f.attrs
        if whole:
            weights = keras.models.load_model(path).get_weights()
        else:
            model.load_weights(path)
            weights = model.get_weights()
        out.append({"name": name, "model": whole, "weights": encode_weights(weights)})
    return out


def run_layer_configs(model, action, d, work_dir):
    """Each layer's config as the model's to_json() writes it: the layers the action names (by
    name), else all but the input layers."""
    names = action.get("layers")
    layers = json.loads(model.to_json())["config"]["layers"]
    return {
        "type": "layer_configs",
        "layers": [
            {"class_name": layer["class_name"], "config": layer["config"]}
            for layer in layers
            if layer["class_name"] != "InputLayer" and (names is None or layer["config"]["name"] in names)
        ],
    }


def run_optimizer_config(model, action, d, work_dir):
    return {
        "type": "optimizer_config",
        "class_name": type(model.optimizer).__name__,
        "config": json_safe(model.optimizer.get_config()),
    }


# ---------------------------------------------------------------------------------------------
# Python data sources (compat_sources.py): the same generators and Sequences jkeras runs through
# its Jep bridge


def import_compat_sources():
    """Imports compat_sources, whose `from keras.utils import Sequence` must be this Keras' own.

    Keras 2.3.1 is the `keras` package of its environment. In tf-keras' environment `keras` is
    Keras 3 (TensorFlow imports it), whose Sequence tf-keras' fit does not recognise; so while the
    module is imported, `keras` and `keras.utils` are tf_keras', and then restored.
    """
    if K231:
        return importlib.import_module("compat_sources")
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
        raise RuntimeError(
            "compat_sources.Sequence is not tf_keras.utils.Sequence; was it imported before import_compat_sources()?"
        )
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
        raise ValueError("source {} is not a {}".format(spec["attribute"], kind))
    return obj


def generator_kwargs():
    """Keras 2.3.1: workers=0 (synchronous); tf-keras: workers=1 (see run_fit_generator)."""
    return {"workers": 0 if K231 else 1, "use_multiprocessing": False}


def run_fit_python(model, action, d, work_dir):
    """fit_generator (tf-keras: fit) on a compat_sources generator or Sequence, no shuffle (a
    Sequence shuffles itself in on_epoch_end when asked)."""
    kw = dict(action.get("kwargs", {}))
    source = python_source(action["source"], work_dir)
    fkw = {"epochs": int(kw.get("epochs", 1)), "verbose": 0, "shuffle": False}
    fkw.update(generator_kwargs())
    if "steps_per_epoch" in kw:
        fkw["steps_per_epoch"] = int(kw["steps_per_epoch"])
    if "validation_source" in action:
        fkw["validation_data"] = python_source(action["validation_source"], work_dir)
        if "validation_steps" in kw:
            fkw["validation_steps"] = int(kw["validation_steps"])
    recorder = Recorder()
    fkw["callbacks"] = [recorder]
    hist = (model.fit_generator if K231 else model.fit)(source, **fkw)
    steps = fkw.get("steps_per_epoch", len(source) if isinstance(source, keras.utils.Sequence) else None)
    out = {"type": "fit_python", "kwargs": action.get("kwargs", {}), "steps_per_epoch": steps}
    out.update(encode_history(hist))
    out.update(recorder.observations())
    return out


def run_evaluate_python(model, action, d, work_dir):
    source = python_source(action["source"], work_dir)
    ekw = dict(generator_kwargs())
    if "steps" in action:
        ekw["steps"] = int(action["steps"])
    recorder = Recorder()
    if K231:
        value = model.evaluate_generator(source, callbacks=[recorder], **ekw)
    else:
        value = model.evaluate(source, callbacks=[recorder], verbose=0, **ekw)
    return {"type": "evaluate_python", "value": encode_value(value), "batch_logs": {"test": recorder.test_logs}}


def run_predict_python(model, action, d, work_dir):
    source = python_source(action["source"], work_dir)
    pkw = dict(generator_kwargs())
    if "steps" in action:
        pkw["steps"] = int(action["steps"])
    out = (model.predict_generator if K231 else model.predict)(source, verbose=0, **pkw)
    return {"type": "predict_python", "outputs": encode_outputs(out)}


# ---------------------------------------------------------------------------------------------
# Models


def resolve_names(model_spec):
    """Gives every sequential layer an explicit name so all sides can match weights by layer
    (unless the scenario is about the default names: then weights go by position)."""
    if model_spec["type"] == "sequential" and not model_spec.get("default_names"):
        counts = {}
        for layer in model_spec["layers"]:
            cfg = layer.setdefault("config", {})
            if "name" not in cfg:
                base = layer["class_name"].lower()
                counts[base] = counts.get(base, 0) + 1
                cfg["name"] = f"{base}_{counts[base]}"
    return model_spec


def build_layer(spec):
    cfg = dict(spec.get("config", {}))
    if isinstance(cfg.get("layer"), dict):  # a wrapper (Bidirectional, TimeDistributed)
        cfg["layer"] = build_layer(cfg["layer"])
    cls = getattr(keras.layers, spec["class_name"])
    return cls(**cfg)


def build_model(model_spec):
    if model_spec["type"] == "sequential":
        return keras.models.Sequential([build_layer(spec) for spec in model_spec["layers"]])
    if model_spec["type"] == "functional":
        tensors = {}
        inputs = []
        for inp in model_spec["inputs"]:
            t = keras.layers.Input(shape=tuple(inp["shape"]), name=inp["name"], dtype=inp.get("dtype", "float32"))
            tensors[inp["name"]] = t
            inputs.append(t)
        for node in model_spec["nodes"]:
            layer = build_layer(node["layer"])
            inbound = [tensors[n] for n in node["inbound"]]
            out = layer(inbound[0] if len(inbound) == 1 else inbound)
            if isinstance(out, list):  # several outputs (return_state): "name:i" each
                for i, t in enumerate(out):
                    tensors[f"{node['name']}:{i}"] = t
                out = out[0]
            tensors[node["name"]] = out
        outputs = [tensors[o] for o in model_spec["outputs"]]
        return keras.models.Model(inputs, outputs, name=model_spec.get("name"))
    raise ValueError("unknown model type " + model_spec["type"])


def layer_weights(model, by_index=False):
    """Each layer's initial weights, by layer name (or, with default names, which differ between
    the Keras versions, by position among the layers with weights)."""
    weighted = [layer for layer in model.layers if layer.get_weights()]
    return [
        {
            ("index" if by_index else "layer"): i if by_index else layer.name,
            "weights": [
                {"shape": list(w.shape), "data": w.reshape(-1).astype(np.float32).tolist()} for w in layer.get_weights()
            ],
        }
        for i, layer in enumerate(weighted)
    ]


# ---------------------------------------------------------------------------------------------
# Scenarios


def seed_everything(seed):
    keras.backend.clear_session()
    random.seed(seed)
    np.random.seed(seed)
    if K231:
        tf.compat.v1.set_random_seed(seed)  # the graph-level seed of the new session's graph
    else:
        tf.random.set_seed(seed)


def run_scenario(sc, work_dir):
    seed = int(sc.get("seed", 0))
    seed_everything(seed)
    rng = np.random.default_rng(seed)  # the data

    # Scenarios fed only by compat_sources have no arrays
    data = sc.get("data", {"n": 0, "x": {}, "y": {}})
    n = int(data["n"])
    d = {"x": gen_side(rng, n, data["x"])}
    if "scale_rows" in data:
        d["x"] = scaled_rows(d["x"], data["scale_rows"])
    # "y": "x" trains a model to reproduce its input (the noise layers' statistics)
    d["y"] = dict(d["x"]) if data["y"] == "x" else gen_side(rng, n, data["y"])
    fixture = {"x": encode_arrays(d["x"]), "y": encode_arrays(d["y"]), "work_dir": work_dir}
    # Data files the compat_sources generators read: written before the model exists
    for f in sc.get("python_files", []):
        getattr(compat_sources(), f["writer"])(resolve_placeholders(f["path"], work_dir), *f.get("args", []))
    if "val_n" in data:
        vn = int(data["val_n"])
        d["val_x"] = gen_side(rng, vn, data["x"])
        d["val_y"] = dict(d["val_x"]) if data["y"] == "x" else gen_side(rng, vn, data["y"])
        fixture["val_x"] = encode_arrays(d["val_x"])
        fixture["val_y"] = encode_arrays(d["val_y"])
    if "sample_weight" in data:  # one weight per sample, drawn after everything else
        d["sample_weight"] = gen_array(rng, n, data["sample_weight"])
        fixture["sample_weight"] = encode_arrays({None: d["sample_weight"]})

    model = build_model(resolve_names(sc["model"]))
    initial_weights(model, seed, sc.get("fixture_kernels"))
    fixture["weights"] = layer_weights(model, by_index=sc["model"].get("default_names", False))
    result = {"name": sc["name"], "spec": sc, "fixture": fixture}

    compile_spec = sc["compile"]
    observations = result["observations"] = []
    try:
        opt, opt_used = make_optimizer(compile_spec["optimizer"])
        kwargs = {"optimizer": opt, "loss": make_loss(compile_spec["loss"])}
        # steps_per_execution: tf-keras' argument, in scenarios Keras 2.3.1 does not run.
        for key in ("metrics", "loss_weights", "steps_per_execution"):
            if key in compile_spec:
                kwargs[key] = compile_spec[key]
        compile_warnings = []
        with recorded_warnings(compile_warnings):
            model.compile(**kwargs)
    except Exception as e:
        if not sc.get("compile_may_raise"):
            raise
        observations.append({"type": "compile", "raised": raised(e)})
        return result
    loss = kwargs["loss"]
    if hasattr(loss, "get_config"):  # a loss object: as Keras serializes it
        loss = {"class_name": type(loss).__name__, "config": json_safe(loss.get_config())}
    result["used"] = {"optimizer": opt_used, "loss": loss, "output_names": list(model.output_names)}
    if sc.get("compile_may_raise"):
        observations.append({"type": "compile", "raised": None, "warnings": compile_warnings, "optimizer": opt_used})

    for action in sc["actions"]:
        kind = action["type"]
        not_run = action.get(("keras231" if K231 else "tf_keras") + "_not_run")
        if not_run:  # listed in the report with its reason
            observations.append({"type": kind, "not_run": not_run})
        elif kind not in ACTIONS:
            raise ValueError("unknown action " + kind)
        else:
            observations.append(ACTIONS[kind](model, action, d, work_dir))
    return result


def run_on_batch(model, action, d, work_dir):
    """train_on_batch / test_on_batch: step i on rows [i*batch % n, +batch), with the action's
    class_weight and (``"sample_weight": true``) the fixture's sample weights of those rows."""
    kind = action["type"]
    n = len(next(iter(d["x"].values())))
    steps = int(action.get("steps", 20))
    batch = int(action.get("batch", n))
    kwargs = array_kwargs(action.get("kwargs", {}), d)
    values = []
    for step in range(steps):
        start = (step * batch) % n
        kw = dict(kwargs)
        if "sample_weight" in kw:
            kw["sample_weight"] = kw["sample_weight"][start : start + batch]
        bx, by = batch_rows(d["x"], step, batch, n), batch_rows(d["y"], step, batch, n)
        values.append(encode_value(getattr(model, kind)(as_keras(bx), as_keras(by), **kw)))
    return {"type": kind, "steps": steps, "batch": batch, "values": values, "names": list(model.metrics_names)}


def array_kwargs(kwargs, d):
    """An action's kwargs for the array methods: ``"validation_data": true`` is the fixture's
    validation set, ``"sample_weight": true`` its sample weights; class_weight keys are class
    indices (JSON writes them as strings)."""
    kw = dict(kwargs)
    if kw.pop("validation_data", False):
        kw["validation_data"] = (as_keras(d["val_x"]), as_keras(d["val_y"]))
    if kw.get("sample_weight") is True:
        kw["sample_weight"] = d["sample_weight"]
    if "class_weight" in kw:
        kw["class_weight"] = {int(k): float(v) for k, v in kw["class_weight"].items()}
    return kw


def run_evaluate(model, action, d, work_dir):
    on = action.get("on", "train")
    ex, ey = (d["x"], d["y"]) if on == "train" else (d["val_x"], d["val_y"])
    kw = array_kwargs(action.get("kwargs", {}), d)
    value = model.evaluate(as_keras(ex), as_keras(ey), verbose=0, **kw)
    return {"type": "evaluate", "on": on, "kwargs": action.get("kwargs", {}), "value": encode_value(value)}


def run_predict(model, action, d, work_dir):
    on = action.get("on", "train")
    out = model.predict(as_keras(d["x"] if on == "train" else d["val_x"]), verbose=0, **action.get("kwargs", {}))
    return {"type": "predict", "on": on, "kwargs": action.get("kwargs", {}), "outputs": encode_outputs(out)}


def run_names(model, action, d, work_dir):
    if action["type"] == "metrics_names":
        return {"type": "metrics_names", "value": list(model.metrics_names)}
    return {"type": "layer_names", "value": {"model": model.name, "layers": [layer.name for layer in model.layers]}}


def run_initializer_stats(model, action, d, work_dir):
    """Each initializer of the action, as a user meets it: the kernel of a fresh
    ``Dense(units, use_bias=False, kernel_initializer=spec)`` on ``fan_in`` inputs, summarised by
    draw_statistics (the scenario's own model is not used)."""
    fan_in, units = action["shape"]
    stats = []
    for spec in action["initializers"]:
        dense = keras.layers.Dense(units, use_bias=False, kernel_initializer=spec, input_shape=(fan_in,))
        stats.append(draw_statistics(keras.models.Sequential([dense]).get_weights()[0]))
    return {"type": "initializer_stats", "stats": stats}


def draw_statistics(w):
    """n, mean, std (population), min, max, kurtosis (4th standardised moment) of the draws, in
    double, and the first 8 values in the kernel's row-major order."""
    x = w.reshape(-1).astype(np.float64)
    mean = x.mean()
    var = ((x - mean) ** 2).mean()
    return {
        "n": int(x.size),
        "mean": float(mean),
        "std": float(np.sqrt(var)),
        "min": float(x.min()),
        "max": float(x.max()),
        "kurtosis": float(((x - mean) ** 4).mean() / var**2),
        "first": [float(v) for v in w.reshape(-1)[:8]],
    }


ACTIONS = {
    "train_on_batch": run_on_batch,
    "test_on_batch": run_on_batch,
    "fit": run_fit,
    "fit_progress": run_fit,
    "fit_generator": run_fit_generator,
    "fit_generator_call": run_generator_call,
    "evaluate_generator_call": run_generator_call,
    "predict_generator_call": run_generator_call,
    "optimizer_config": run_optimizer_config,
    "layer_configs": run_layer_configs,
    "fit_python": run_fit_python,
    "evaluate_python": run_evaluate_python,
    "predict_python": run_predict_python,
    "evaluate": run_evaluate,
    "predict": run_predict,
    "metrics_names": run_names,
    "layer_names": run_names,
    "initializer_stats": run_initializer_stats,
    "fit_callbacks": run_fit_callbacks,
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
        raise SystemExit(f"duplicate scenario names: {dupes}")
    return scenarios


def versions():
    v = {
        "flavour": FLAVOUR,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
    }
    if K231:
        v["patches"] = "keras231_patches (graph mode)"
    return v


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keras", choices=("231", "tfkeras"), default="tfkeras")
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
    key = "keras231" if K231 else "tf_keras"
    for sc in scenarios:
        t, cpu = time.time(), time.process_time()
        not_run = sc.get(key, {}).get("not_run")
        if not_run:  # listed in the report with its reason, never silently left out
            results.append({"name": sc["name"], "spec": sc, "not_run": not_run})
            status = "not run: " + not_run
        else:
            try:
                results.append(run_scenario(sc, work_dir))
                status = "ok"
            except Exception as e:  # recorded: one broken scenario hides no other
                results.append({"name": sc["name"], "spec": sc, "error": f"{type(e).__name__}: {e}"})
                status = "ERROR " + results[-1]["error"]
        results[-1]["seconds"] = round(time.time() - t, 2)
        results[-1]["cpu_seconds"] = round(time.process_time() - cpu, 2)
        print(
            f"[keras_runner {FLAVOUR}] {sc['name']:<40} {time.time() - t:5.2f}s"
            f" (cpu {results[-1]['cpu_seconds']:5.2f}s) {status}",
            file=sys.stderr,
            flush=True,
        )
    runner = versions()
    runner["seconds"] = round(time.time() - t0, 2)
    runner["cpu_seconds"] = round(time.process_time(), 2)  # the process' own, TensorFlow's import included
    out = {"runner": runner, "scenarios": results}
    tmp = args.out + ".tmp"
    with open(tmp, "w") as fh:
        json.dump(out, fh)
    os.replace(tmp, args.out)
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
