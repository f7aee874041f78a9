"""Runs a Keras training script unchanged and records what it trained: the compat harness' script
scenarios (compat-tests/README.md, "Script scenarios").

The same file runs on every side:

    .venv/bin/python            script_recorder.py --side tfkeras --out OUT.json [settings] SCRIPT.py [ARGS...]
    .venv-keras231/bin/python   script_recorder.py --side 231     --out OUT.json [settings] SCRIPT.py [ARGS...]
    scripts/jkeras.sh run       script_recorder.py --side jkeras  --out OUT.json [settings] SCRIPT.py [ARGS...]

It makes ``import keras`` resolve to the side's Keras (tf-keras: ``tf_keras``, with the legacy
optimizers that compute Keras 2.3.1's formulas, as keras_runner.py does; Keras 2.3.1: the real one
after keras231_patches; jkeras: whatever ``jkeras run`` provides, and TensorFlow is never imported
there), patches the training methods of ``Model`` and ``Sequential`` to record each call, then runs
SCRIPT as ``__main__`` with ``sys.argv = [SCRIPT, ARGS...]`` and its directory first on
``sys.path``. Before a model's first recorded call its weights are set to seeded values (numpy
only, the same numbers on every side: interop_common.seeded_values by shape), so all sides start
alike.

Scenario settings, applied on every side alike (each scenario states why it uses them):

- ``--seed N``: the starting weights' seed (and numpy's global seed, set before the script runs);
- ``--shuffle-off``: ``shuffle=False`` in every fit/fit_generator call (each runtime draws its
  own shuffle order);
- ``--dropout-rate R``: every ``Dropout`` layer the script builds gets rate R (each runtime draws
  its own masks; 0 makes the runs comparable value by value);
- ``--cap-steps N``, ``--cap-epochs N``: at most N ``steps_per_epoch`` / ``epochs`` in
  fit/fit_generator calls (a script written for 100,000 steps runs in seconds);
- ``--threads-on SIDE`` (repeatable): on that side only, ``use_multiprocessing=False`` in every
  call (the same ``workers`` as threads: an OrderedEnqueuer serves a Sequence's batches in the same
  order either way).

The record (OUT.json): the side, its versions, the settings, and per recorded call its method,
model number, History (``history``, ``epoch``) or returned value (scores, predictions with shape),
in call order; ``error`` when the script raised. What the script printed is the process' stdout,
captured by the harness; nothing here writes to stdout.
"""

import argparse
import functools
import json
import os
import runpy
import sys
import threading
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))

METHODS = (
    "fit",
    "fit_generator",
    "train_on_batch",
    "evaluate",
    "evaluate_generator",
    "test_on_batch",
    "predict",
    "predict_generator",
    "predict_on_batch",
)
FIT_METHODS = ("fit", "fit_generator")


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--side", choices=("tfkeras", "231", "jkeras"), required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--shuffle-off", action="store_true")
    ap.add_argument("--dropout-rate", type=float, default=None)
    ap.add_argument("--cap-steps", type=int, default=None)
    ap.add_argument("--cap-epochs", type=int, default=None)
    ap.add_argument("--threads-on", action="append", default=[], choices=("tfkeras", "231", "jkeras"))
    ap.add_argument("script")
    ap.add_argument("args", nargs=argparse.REMAINDER)
    return ap.parse_args(argv)


def import_keras(side):
    """The side's ``keras`` module, importable by the script as ``keras``."""
    if side == "jkeras":
        import keras  # jkeras run's shim: no TensorFlow in this interpreter

        return keras, {}
    # Before TensorFlow is imported: CPU only, quiet, no oneDNN rewrites, deterministic kernels
    # (the harness sets the same in the environment; keras_runner.py does the same)
    for k, v in (
        ("CUDA_VISIBLE_DEVICES", "-1"),
        ("TF_CPP_MIN_LOG_LEVEL", "2"),
        ("TF_ENABLE_ONEDNN_OPTS", "0"),
        ("TF_DETERMINISTIC_OPS", "1"),
        ("TF_USE_LEGACY_KERAS", "1"),
    ):
        os.environ.setdefault(k, v)
    sys.path.insert(0, HERE)
    if side == "231":
        import keras231_patches  # first: it sets what TensorFlow reads at import
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(1)
    tf.config.threading.set_inter_op_parallelism_threads(1)
    tf.config.experimental.enable_op_determinism()
    versions = {"tensorflow": tf.__version__}
    if side == "231":
        import contextlib
        import io

        with contextlib.redirect_stderr(io.StringIO()):  # "Using TensorFlow backend."
            import keras
        keras231_patches.after_import(keras)
    else:
        import tf_keras as keras

        alias_keras_to(keras)
        # Keras 2.3.1's optimizer formulas: tf-keras' legacy classes (keras_runner.py does the same)
        for name in ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam"):
            setattr(keras.optimizers, name, getattr(keras.optimizers.legacy, name))
        get = keras.optimizers.get
        keras.optimizers.get = lambda identifier, **kw: get(identifier, **{"use_legacy_optimizer": True, **kw})
    versions["keras"] = keras.__version__
    return keras, versions


def alias_keras_to(real):
    """``import keras`` and ``keras.X`` give tf_keras and ``tf_keras.X`` (in this venv ``keras`` is
    Keras 3, which tf-keras does not train)."""
    import importlib
    import importlib.abc
    import importlib.util

    for name in [n for n in sys.modules if n == "keras" or n.startswith("keras.")]:
        del sys.modules[name]
    sys.modules["keras"] = real

    class Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
        def find_spec(self, name, path=None, target=None):
            if name.startswith("keras."):
                return importlib.util.spec_from_loader(name, self)
            return None

        def create_module(self, spec):
            return importlib.import_module(real.__name__ + spec.name[len("keras") :])

        def exec_module(self, module):
            pass

    sys.meta_path.insert(0, Alias())


def seeded_weights(model, seed):
    """Starting values for ``model.get_weights()``, by shape (Glorot-uniform kernels, small
    biases): interop_common.seeded_values, which names only BatchNormalization's weights."""
    sys.path.insert(0, HERE)
    from interop_common import seeded_values

    class W:
        def __init__(self, a):
            self.shape, self.name = a.shape, ""

    return seeded_values([W(a) for a in model.get_weights()], seed)


def to_json(value):
    import numpy as np

    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return {"shape": list(value.shape), "data": [float(v) for v in value.reshape(-1)]}
    if isinstance(value, (bool, str)) or value is None:
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return repr(value)


class Recorder:
    def __init__(self, args):
        self.args = args
        self.calls = []
        self.models = []
        self.local = threading.local()

    def model_number(self, model):
        for i, m in enumerate(self.models):
            if m is model:
                return i
        self.models.append(model)
        model.set_weights(seeded_weights(model, self.args.seed + len(self.models) - 1))
        return len(self.models) - 1

    def adjust(self, method, kwargs):
        a = self.args
        if a.side in a.threads_on and kwargs.get("use_multiprocessing"):
            kwargs["use_multiprocessing"] = False
        if method in FIT_METHODS:
            if a.shuffle_off:
                kwargs["shuffle"] = False
            if a.cap_epochs is not None and kwargs.get("epochs", 1) > a.cap_epochs:
                kwargs["epochs"] = a.cap_epochs
            if a.cap_steps is not None and (kwargs.get("steps_per_epoch") or 0) > a.cap_steps:
                kwargs["steps_per_epoch"] = a.cap_steps

    def wrap(self, method, original):
        recorder = self

        @functools.wraps(original)
        def recorded(model, *args, **kwargs):
            # Only the outermost call: tf-keras' fit_generator calls fit, and so on
            if getattr(recorder.local, "inside", False):
                return original(model, *args, **kwargs)
            recorder.local.inside = True
            try:
                number = recorder.model_number(model)
                recorder.adjust(method, kwargs)
                result = original(model, *args, **kwargs)
            finally:
                recorder.local.inside = False
            call = {"method": method, "model": number, "kwargs": sorted(kwargs)}
            if method in FIT_METHODS:
                call["history"] = to_json(result.history)
                call["epoch"] = [int(e) for e in result.epoch]
            else:
                call["result"] = to_json(result)
            recorder.calls.append(call)
            return result

        return recorded

    def install(self, keras):
        classes = []
        for cls in (keras.models.Model, keras.models.Sequential):
            if cls not in classes:
                classes.append(cls)
        for cls in classes:
            for name in METHODS:
                if name in vars(cls):
                    setattr(cls, name, self.wrap(name, vars(cls)[name]))
        if self.args.dropout_rate is not None:
            rate = self.args.dropout_rate
            dropout = keras.layers.Dropout

            def __init__(layer, _rate, *args, **kwargs):
                dropout.__init__(layer, rate, *args, **kwargs)

            # Named Dropout, so summary() shows the class as the script wrote it
            keras.layers.Dropout = type("Dropout", (dropout,), {"__init__": __init__, "__module__": dropout.__module__})


def main(argv=None):
    args = parse(sys.argv[1:] if argv is None else argv)
    keras, versions = import_keras(args.side)
    import numpy as np

    np.random.seed(args.seed)
    recorder = Recorder(args)
    recorder.install(keras)
    record = {
        "side": args.side,
        "versions": {"python": sys.version.split()[0], "numpy": np.__version__, **versions},
        "settings": {k: v for k, v in vars(args).items() if k not in ("side", "out")},
        "calls": recorder.calls,
    }
    script = os.path.abspath(args.script)
    sys.argv = [args.script, *args.args]
    sys.path.insert(0, os.path.dirname(script))
    status = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if status:
            record["error"] = f"SystemExit: {e.code}"
    except BaseException as e:
        record["error"] = f"{type(e).__name__}: {e}"
        traceback.print_exc()
        status = 1
    finally:
        sys.stdout.flush()
        tmp = args.out + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(record, fh)
        os.replace(tmp, args.out)
    return status


if __name__ == "__main__":
    sys.exit(main())
