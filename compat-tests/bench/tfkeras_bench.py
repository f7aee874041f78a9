"""tf-keras side of `jkeras bench train-on-batch`: train_on_batch steps/s of an MLP 784-128-10.

Two modes, both CPU only and printing JSON on stdout:

  --serve    builds and warms up the model, prints {"ready": ...}, then answers one JSON line per
             stdin line "rep <steps>" (timed repetition of train_on_batch) or "fn <steps>" (timed
             repetition of the compiled train function) until "quit". The Java benchmark drives
             this mode so that it can alternate jkeras and tf-keras repetitions in one run.
  (default)  runs --repetitions timed repetitions of both itself and prints one JSON summary.

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
    args = p.parse_args()

    model, x, y, tf_version, keras_version = build(args)
    timed(model, x, y, args.warmup_steps)
    timed_fn = compiled_step(model, x, y)
    timed_fn(args.warmup_steps)
    info = {"tensorflow": tf_version, "tf_keras": keras_version, "batch_size": args.batch_size}

    if not args.serve:
        reps = [timed(model, x, y, args.steps)["steps_per_s"] for _ in range(args.repetitions)]
        fn_reps = [timed_fn(args.steps)["steps_per_s"] for _ in range(args.repetitions)]
        print(json.dumps(dict(info, train_on_batch_steps_per_s=reps, train_function_steps_per_s=fn_reps)))
        return

    print(json.dumps(dict(info, ready=True)), flush=True)
    for line in sys.stdin:
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
