"""tf-keras side of `jkeras bench train-on-batch`: train_on_batch steps/s of an MLP 784-128-10.

Two modes, both CPU only and printing JSON on stdout:

  --serve    builds and warms up the model, prints {"ready": ...}, then answers one JSON line per
             stdin line "rep <steps>" (timed repetition of train_on_batch) or "fn <steps>" (timed
             repetition of the compiled train function) until "quit". The Java benchmark drives
             this mode so that it can alternate jkeras and tf-keras repetitions in one run.
  (default)  runs --repetitions timed repetitions of both itself and prints one JSON summary.

`jkeras bench all` also sends JSON requests, one per line ({"cmd": ...}; see `serve_json`): fit on
in-memory arrays, fit over a generator or Sequence of `bench_sources.py` (with workers and
use_multiprocessing), a producer timed alone, and the model rows (small CNN, CNN with
BatchNormalization, LSTM text classifier: `build_row_model`), each timed with train_on_batch and
with a 2-epoch fit (steps/s of the second epoch). `--intra-op-threads`/`--inter-op-threads` set
tf.config.threading before anything runs. With `--init det` the weights and the batch are
those of `bench_sources.py`, which the Java side reproduces bit for bit.

"fn" is a reference, not Keras' public API: model.make_train_function() called on an iterator of
a repeated in-memory dataset, i.e. tf-keras' compiled step without the per-call work of
train_on_batch (which builds a one-batch tf.data input pipeline on every call).

The model, batch and data shapes match the Java side: Sequential Dense(128, relu) ->
Dense(10, softmax), adam, sparse_categorical_crossentropy, metrics=["accuracy"], batch 32 of
784 float32 features with int labels in [0, 10).
"""

import argparse
import json
import os
import sys
import time
import warnings

os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def build(args):
    import numpy as np
    import tensorflow as tf
    import tf_keras as keras

    tf.config.set_visible_devices([], "GPU")
    keras.utils.set_random_seed(args.seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(args.features,)),
            keras.layers.Dense(args.hidden, activation="relu"),
            keras.layers.Dense(args.classes, activation="softmax"),
        ]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    if args.init == "det":
        import bench_sources

        model.set_weights(bench_sources.mlp_weights(args.features, args.hidden, args.classes, args.seed))
        ((x, y),) = bench_sources.batch_pool(args.batch_size, 1, args.features, args.classes, args.seed)
        # The loss before any training, for the Java side to compare (same weights, same batch).
        build.initial_loss = float(model.test_on_batch(x, y)[0])
        return model, x, y, tf.__version__, keras.__version__
    rng = np.random.default_rng(args.seed)
    x = rng.random((args.batch_size, args.features), dtype=np.float32)
    y = rng.integers(0, args.classes, size=(args.batch_size,)).astype(np.int32)
    return model, x, y, tf.__version__, keras.__version__


def timed(model, x, y, steps):
    start = time.perf_counter()
    for _ in range(steps):
        out = model.train_on_batch(x, y)
    seconds = time.perf_counter() - start
    return {"steps": steps, "seconds": seconds, "steps_per_s": steps / seconds, "last": [float(v) for v in out]}


def compiled_step(model, x, y):
    import tensorflow as tf

    fn = model.make_train_function()
    it = iter(tf.data.Dataset.from_tensors((x, y)).repeat())

    def timed_fn(steps):
        start = time.perf_counter()
        for _ in range(steps):
            logs = fn(it)
        loss = float(logs["loss"])
        seconds = time.perf_counter() - start
        return {"steps": steps, "seconds": seconds, "steps_per_s": steps / seconds, "last": [loss]}

    return timed_fn


class _EpochTimer:
    """Wall time of each epoch, on_epoch_begin to on_epoch_end (as the Java side's EpochTimer)."""

    def __init__(self):
        import tf_keras as keras

        timer = self

        class Cb(keras.callbacks.Callback):
            def on_epoch_begin(self, epoch, logs=None):
                timer.start = time.perf_counter()

            def on_epoch_end(self, epoch, logs=None):
                timer.seconds.append(time.perf_counter() - timer.start)
                timer.loss = float((logs or {}).get("loss", float("nan")))

        self.seconds = []
        self.loss = float("nan")
        self.callback = Cb()


def _source(req):
    import bench_sources

    obj = getattr(bench_sources, req["fn"])(*req.get("args", []), **req.get("kwargs", {}))
    if req.get("kind") == "sequence":
        import tf_keras as keras

        class Seq(keras.utils.Sequence):
            """A tf_keras Sequence over a bench_sources one (tf-keras checks isinstance)."""

            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def __len__(self):
                return len(self.inner)

            def __getitem__(self, index):
                return self.inner[index]

            def on_epoch_end(self):
                self.inner.on_epoch_end()

        return Seq(obj)
    return obj


_DATA = {}
_MODELS = {}


def build_row_model(kind, seed=0):
    """A model row of `jkeras bench all` (bench_sources.MODEL_ROWS), starting from det kernels."""
    import tf_keras as keras

    import bench_sources

    layers = keras.layers
    if kind == "cnn":
        stack = [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3, activation="relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
        loss = "sparse_categorical_crossentropy"
    elif kind == "bn_cnn":
        stack = [
            keras.Input((28, 28, 1)),
            layers.Conv2D(32, 3),
            layers.BatchNormalization(),
            layers.Activation("relu"),
            layers.MaxPooling2D(2),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
        loss = "sparse_categorical_crossentropy"
    elif kind == "lstm":
        stack = [
            keras.Input((80,), dtype="int32"),
            layers.Embedding(bench_sources.VOCABULARY, 128),
            layers.LSTM(64),
            layers.Dense(1, activation="sigmoid"),
        ]
        loss = "binary_crossentropy"
    else:
        raise ValueError("unknown model row " + kind)
    model = keras.Sequential(stack)
    model.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    model.set_weights(bench_sources.det_kernels(model.get_weights(), seed))
    return model


def _row(req):
    """The model of a model-row request, built (and its data made) on first use."""
    import bench_sources

    kind = req["model"]
    if kind not in _MODELS:
        model = build_row_model(kind, req.get("seed", 0))
        x, y = bench_sources.model_data(kind, 1, req.get("seed", 0))
        _MODELS[kind] = (model, x, y, float(model.test_on_batch(x, y)[0]))
    return _MODELS[kind]


def serve_json(model, req):
    """One JSON request of `jkeras bench all`; returns the JSON-able answer."""
    cmd = req["cmd"]
    if cmd == "fit_arrays":
        import bench_sources

        key = (req["samples"], req.get("seed", 0))
        if key not in _DATA:
            _DATA.clear()
            _DATA[key] = bench_sources.mlp_data(req["samples"], seed=req.get("seed", 0))
        x, y = _DATA[key]
        start = time.perf_counter()
        h = model.fit(x, y, batch_size=req.get("batch_size", 32), epochs=req.get("epochs", 1), verbose=0)
        seconds = time.perf_counter() - start
        return {
            "seconds": seconds,
            "samples_per_s": req["samples"] * req.get("epochs", 1) / seconds,
            "loss": float(h.history["loss"][-1]),
        }
    if cmd == "fit_source":
        timer = _EpochTimer()
        src = _source(req)
        kw = {}
        if req.get("kind") != "sequence":
            kw["steps_per_epoch"] = req["steps"]
        model.fit(
            src,
            epochs=req.get("epochs", 2),
            verbose=0,
            callbacks=[timer.callback],
            shuffle=False,
            workers=req.get("workers", 1),
            use_multiprocessing=req.get("mp", False),
            max_queue_size=req.get("max_queue_size", 10),
            **kw,
        )
        last = timer.seconds[-1]
        return {"epoch_seconds": timer.seconds, "steps_per_s": req["steps"] / last, "loss": timer.loss}
    if cmd == "model_init":
        model, x, y, loss = _row(req)
        return {"initial_loss": loss, "params": int(model.count_params())}
    if cmd == "model_tob":
        model, x, y, _ = _row(req)
        return timed(model, x, y, req["steps"])
    if cmd == "model_fit":
        import bench_sources

        model, _, _, _ = _row(req)
        batch = bench_sources.MODEL_ROWS[req["model"]][0]
        key = (req["model"], req["batches"], req.get("seed", 0))
        if key not in _DATA:
            _DATA[key] = bench_sources.model_data(req["model"], req["batches"], req.get("seed", 0))
        x, y = _DATA[key]
        timer = _EpochTimer()
        model.fit(x, y, batch_size=batch, epochs=2, shuffle=False, verbose=0, callbacks=[timer.callback])
        return {"epoch_seconds": timer.seconds, "steps_per_s": req["batches"] / timer.seconds[-1]}
    if cmd == "producer_alone":
        it = iter(_source(req))
        next(it)
        start = time.perf_counter()
        for _ in range(req["steps"]):
            next(it)
        return {"seconds": time.perf_counter() - start}
    raise ValueError("unknown command " + cmd)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--serve", action="store_true")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--features", type=int, default=784)
    p.add_argument("--hidden", type=int, default=128)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--warmup-steps", type=int, default=50)
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--repetitions", type=int, default=5)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--init",
        choices=["random", "det"],
        default="random",
        help="det: weights and batch of bench_sources.py (as the Java side)",
    )
    p.add_argument("--intra-op-threads", type=int, default=0, help="tf.config.threading (0: TF's default)")
    p.add_argument("--inter-op-threads", type=int, default=0, help="tf.config.threading (0: TF's default)")
    args = p.parse_args()
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    if args.intra_op_threads or args.inter_op_threads:
        import tensorflow as tf

        tf.config.threading.set_intra_op_parallelism_threads(args.intra_op_threads)
        tf.config.threading.set_inter_op_parallelism_threads(args.inter_op_threads)
    # tf-keras warns about generators under use_multiprocessing; the protocol is on stdout only.
    warnings.filterwarnings("ignore")

    model, x, y, tf_version, keras_version = build(args)
    timed(model, x, y, args.warmup_steps)
    timed_fn = compiled_step(model, x, y)
    timed_fn(args.warmup_steps)
    info = {"tensorflow": tf_version, "tf_keras": keras_version, "batch_size": args.batch_size}
    if hasattr(build, "initial_loss"):
        info["initial_loss"] = build.initial_loss

    if not args.serve:
        reps = [timed(model, x, y, args.steps)["steps_per_s"] for _ in range(args.repetitions)]
        fn_reps = [timed_fn(args.steps)["steps_per_s"] for _ in range(args.repetitions)]
        print(json.dumps(dict(info, train_on_batch_steps_per_s=reps, train_function_steps_per_s=fn_reps)))
        return

    print(json.dumps(dict(info, ready=True)), flush=True)
    for line in sys.stdin:
        if line.startswith("{"):
            try:
                print(json.dumps(serve_json(model, json.loads(line))), flush=True)
            except Exception as e:  # answer, so that the Java side reports it and goes on
                print(json.dumps({"error": "%s: %s" % (type(e).__name__, e)}), flush=True)
            continue
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "quit":
            break
        if cmd[0] == "rep":
            print(json.dumps(timed(model, x, y, int(cmd[1]))), flush=True)
        elif cmd[0] == "fn":
            print(json.dumps(timed_fn(int(cmd[1]))), flush=True)
        else:
            print(json.dumps({"error": "unknown command " + cmd[0]}), flush=True)


if __name__ == "__main__":
    main()
